"""Synthetic hotdog / not-hotdog images rendered with Blender (Cycles), step ``01_render``.

The flow, one module per concern::

    spec.py    RenderConfig -> sample_records(config): one JSON record per image (pure Python, seeded,
               versioned by RECORD_SCHEMA)
    foods/     FOODS: each food kind = parameter sampler + builder to mesh arrays (numpy), one module
               per kind, plus servings, distractors and materials
    assets.py  food from mesh files: the COLLADA reader, listing a meshes_dir
    shapes.py  the mesh primitives the builders use (sweep, lathe), rotations and the camera fit
    effects.py background, composite, colour shift, noise, blur (numpy, on arrays)
    blender/   the only package that imports bpy: scene.py draws records, worker.py runs a shard
    run.py     render_dataset(out_dir, config): manifest, shards, worker processes, progress, report
    gallery.py gallery(out_dir, config): a few renders per randomization switch, the others neutral

Importing this package never imports ``bpy`` (nor joblib): Blender lives in worker processes, so a
crash or a leak there cannot take the notebook kernel down, and the parent's ``sys.path`` stays clean.
"""

from hotdog.render.foods import FOODS, FoodKind
from hotdog.render.gallery import gallery
from hotdog.render.run import RenderError, folder_config, read_manifest, render_dataset
from hotdog.render.spec import PLAIN_SCENE, RANDOMIZATIONS, RenderConfig, sample_records

__all__ = ["FOODS", "FoodKind", "PLAIN_SCENE", "RANDOMIZATIONS", "RenderConfig", "RenderError", "gallery", "read_manifest",
           "render_dataset", "sample_records"]
