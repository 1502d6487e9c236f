"""The two classes, named once: their folder names (the real photos', the renders', the manifest's labels)
and their labels, hotdog = 1 (ImageFolder's alphabetical order would make it 0). Free of torch, so the
Blender worker reads the same names as the data loader."""

NOT_HOTDOG, HOTDOG = 0, 1
CLASSES = ("not_hotdog", "hotdog")  # index = label
