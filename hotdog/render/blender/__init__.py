"""The Blender side of the renderer, one concern per module:

    session.py  importing ``bpy`` cleanly, quiet stdout, RenderError (imported by the parent too)
    scene.py    the Cycles scene and the Drawer that draws one record after another
    meshes.py   food from mesh files (COLLADA through our reader, the rest through Blender's importers)
    worker.py   the shard loop and the command line (``python worker.py`` / ``blender --python``)

Only ``scene.py`` and ``meshes.py`` build ``bpy`` data, and only inside their functions, so
importing this package never loads Blender.
"""
