"""hotdog: synthetic (Blender-rendered) images for the article's hotdog / not-hotdog classifier.

The package holds the logic; the notebooks in ``notebooks/`` explain it step by step:
``render`` (Blender worker processes), ``data`` (ImageFolder, transform, split), ``model``
(the article's ResBlock and BinaryClassifier), ``train`` (modes authentic | synthetic | both),
``metrics`` and ``plots``. Importing ``hotdog`` never imports ``bpy`` or ``torch``.
"""

__version__ = "0.1.0"
