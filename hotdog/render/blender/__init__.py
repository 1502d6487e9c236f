"""The Blender side of the renderer. Only :mod:`hotdog.render.blender.worker` touches ``bpy``, and
only inside its functions, so importing this package never loads Blender."""
