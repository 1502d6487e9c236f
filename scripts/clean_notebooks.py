"""Strip noise from executed notebooks before committing them, so they read well on GitHub.

    python scripts/clean_notebooks.py notebooks/*.ipynb

Removes Cycles' "CUEW initialization failed" warnings (it looks for a CUDA library that a CPU
machine does not have), the saved widget state, and widget outputs (progress bars, the upload
button), whose text fallback shows only the widget's first state.
"""
import json, pathlib, sys
for f in sys.argv[1:]:
    f = pathlib.Path(f); nb = json.loads(f.read_text())
    nb["metadata"].pop("widgets", None)
    for cell in nb["cells"]:
        outs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
                text = "".join(l for l in text.splitlines(keepends=True) if "CUEW" not in l)
                if not text.strip():
                    continue
                out["text"] = text.splitlines(keepends=True)
            data = out.get("data")
            if data and "application/vnd.jupyter.widget-view+json" in data:
                continue
            outs.append(out)
        if "runtime.setup(" in "".join(cell.get("source", [])):  # the set-up cell shows what setup() printed
            outs = [o for o in outs if o.get("output_type") != "execute_result"]
        if cell["cell_type"] == "code":
            cell["outputs"] = outs
    f.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    print("cleaned", f)
