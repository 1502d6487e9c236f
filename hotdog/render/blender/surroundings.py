"""What surrounds the food in a food photo: the table it stands on and the world that lights it.

:func:`add_table` lays a large plane under the food with a procedural material made of Blender's own
texture nodes (noise, wave, checker, a colour ramp and a bump), one recipe per surface kind of
:data:`hotdog.render.spec.SURFACE_KINDS`; the food casts real shadows on it. :func:`set_world` lights
the scene with one of the world HDRIs bundled with the ``bpy`` wheel
(``datafiles/studiolights/world/<name>.exr``), turned about the vertical, and shows it above the
table's horizon; without one the world is the record's flat ambient colour, the film stays transparent
and the 2D background is composited there (:mod:`hotdog.render.effects`).

``bpy`` is imported inside functions, so importing this module is cheap and safe anywhere.
"""

from __future__ import annotations

import math
import os

from hotdog.render import effects
from hotdog.render.blender.session import import_bpy

TABLE_RADII = 40  # the table's half-width in food radii: it fills the frame below the horizon

# per surface kind: the texture, how it is stretched (x, y, z) and the ramp positions of its two colours
TEXTURES = {
    "wood": ("noise", (1.0, 14.0, 1.0), (0.35, 0.65)),  # long streaks of grain
    "marble": ("marble", (1.0, 1.0, 1.0), (0.0, 0.12)),  # thin dark veins on a light stone
    "checked": ("checker", (1.0, 1.0, 1.0), None),
    "cloth": ("noise", (1.0, 1.0, 1.0), (0.3, 0.7)),
    "metal": ("noise", (1.0, 30.0, 1.0), (0.3, 0.7)),  # brushed
    "slate": ("noise", (1.0, 1.0, 1.0), (0.3, 0.7)),
    "paper": ("noise", (1.0, 1.0, 1.0), (0.45, 0.55)),
}


def add_table(drawer, spec: dict, floor_z: float, radius: float):
    """A square table under ``floor_z``, ``TABLE_RADII`` food radii wide, with the surface ``spec``."""
    bpy = import_bpy()
    mesh = drawer.keep("meshes", bpy.data.meshes.new("table"))
    s = TABLE_RADII * radius
    mesh.from_pydata([(-s, -s, 0), (s, -s, 0), (s, s, 0), (-s, s, 0)], [], [(0, 1, 2, 3)])
    mesh.materials.append(drawer.keep("materials", table_material(spec, radius)))
    obj = drawer.keep("objects", bpy.data.objects.new("table", mesh))
    obj.location = (0.0, 0.0, floor_z - 1e-4)
    drawer.scene.collection.objects.link(obj)
    return obj


def table_material(spec: dict, radius: float):
    """Object coordinates, scaled to ``spec["scale"]`` pattern cells per food radius and turned, into the
    kind's texture; its value picks between the two colours and raises the bump."""
    bpy = import_bpy()
    material = bpy.data.materials.new("table")
    if material.node_tree is None:
        material.use_nodes = True
    nodes, links = material.node_tree.nodes, material.node_tree.links
    bsdf = next(n for n in nodes if n.bl_idname == "ShaderNodeBsdfPrincipled")
    texture_kind, stretch, ramp_at = TEXTURES[spec["kind"]]
    coords, mapping = nodes.new("ShaderNodeTexCoord"), nodes.new("ShaderNodeMapping")
    mapping.inputs["Scale"].default_value = [spec["scale"] / radius * k for k in stretch]
    mapping.inputs["Rotation"].default_value = (0.0, 0.0, math.radians(spec["rotation_deg"]))
    links.new(coords.outputs["Object"], mapping.inputs["Vector"])
    value = _texture(nodes, links, texture_kind, mapping.outputs["Vector"])
    colors = [(*effects.srgb_to_linear(c).tolist(), 1.0) for c in spec["colors"]]
    if ramp_at is None:  # the checker takes its two colours itself
        value.node.inputs["Color1"].default_value, value.node.inputs["Color2"].default_value = colors
        links.new(value.node.outputs["Color"], bsdf.inputs["Base Color"])
    else:
        ramp = nodes.new("ShaderNodeValToRGB")
        low, high = ramp.color_ramp.elements
        (low.position, low.color), (high.position, high.color) = (ramp_at[0], colors[1]), (ramp_at[1], colors[0])
        links.new(value, ramp.inputs["Fac"])
        links.new(ramp.outputs["Color"], bsdf.inputs["Base Color"])
    bump = nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = spec["bump"]
    links.new(value, bump.inputs["Height"])
    links.new(bump.outputs["Normal"], bsdf.inputs["Normal"])
    bsdf.inputs["Roughness"].default_value = spec["roughness"]
    bsdf.inputs["Metallic"].default_value = 1.0 if spec["kind"] == "metal" else 0.0
    return material


def _texture(nodes, links, kind: str, vector):
    """The texture node of ``kind`` on ``vector``; returns its scalar output socket."""
    if kind == "checker":
        node = nodes.new("ShaderNodeTexChecker")
        node.inputs["Scale"].default_value = 1.0
        links.new(vector, node.inputs["Vector"])
        return node.outputs["Fac"]
    node = nodes.new("ShaderNodeTexNoise")
    node.inputs["Scale"].default_value = 1.0
    node.inputs["Detail"].default_value = 6.0
    if kind == "marble":  # a distorted noise, thresholded by the ramp into veins
        node.inputs["Distortion"].default_value = 4.0
    links.new(vector, node.inputs["Vector"])
    return node.outputs["Fac"]


def _sample_map(world, resolution: int | None) -> None:
    """Cycles samples an HDRI's bright spots from a map it rebuilds whenever the world changes: at its
    automatic size that rebuild makes a render 13 times slower (53 against 670 images a minute in one
    process); 64 pixels keep the sun and the windows. A flat world keeps Cycles' own choice."""
    settings = getattr(world, "cycles", None)
    if settings is None or not hasattr(settings, "sampling_method"):
        return
    settings.sampling_method = "MANUAL" if resolution else "AUTOMATIC"
    if resolution:
        settings.sample_map_resolution = resolution


def hdri_path(name: str) -> str:
    """The bundled world HDRI ``name`` (``city``, ``studio``, ...) of the ``bpy`` in use."""
    bpy = import_bpy()
    folder = bpy.utils.system_resource("DATAFILES", path="studiolights/world")
    path = os.path.join(folder, f"{name}.exr")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} is missing: this bpy does not bundle the world HDRI {name!r}; render "
                                f"with RenderConfig(hdri_p=0) or install a bpy wheel that has "
                                f"datafiles/studiolights/world/")
    return path


def set_world(drawer, world: dict) -> None:
    """The record's world: a bundled HDRI turned about the vertical and seen behind the food (the film
    is then opaque), or a flat ambient colour (the film stays transparent for the 2D background)."""
    bpy = import_bpy()
    tree = drawer.scene.world.node_tree
    background = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeBackground")
    for link in list(background.inputs["Color"].links):
        tree.links.remove(link)
    hdri = world.get("hdri")
    drawer.scene.render.film_transparent = not hdri
    _sample_map(drawer.scene.world, 64 if hdri else None)
    if not hdri:
        background.inputs["Color"].default_value = (*world["color"][:3], 1.0)
        background.inputs["Strength"].default_value = world["strength"]
        return
    environment = next((n for n in tree.nodes if n.bl_idname == "ShaderNodeTexEnvironment"), None)
    if environment is None:
        environment, mapping = tree.nodes.new("ShaderNodeTexEnvironment"), tree.nodes.new("ShaderNodeMapping")
        coords = tree.nodes.new("ShaderNodeTexCoord")
        tree.links.new(coords.outputs["Generated"], mapping.inputs["Vector"])
        tree.links.new(mapping.outputs["Vector"], environment.inputs["Vector"])
    mapping = next(n for n in tree.nodes if n.bl_idname == "ShaderNodeMapping")
    mapping.inputs["Rotation"].default_value = (0.0, 0.0, math.radians(hdri["rotation_deg"]))
    environment.image = bpy.data.images.load(hdri_path(hdri["name"]), check_existing=True)
    tree.links.new(environment.outputs["Color"], background.inputs["Color"])
    background.inputs["Strength"].default_value = hdri["strength"]
