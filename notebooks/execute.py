"""Executes notebooks end to end and writes the executed copies (with outputs) to a folder.

    RDNAS_RUN=runs/latest python3 notebooks/execute.py OUT_DIR notebooks/02_training.ipynb ...

Each notebook runs in its own folder (so its default relative paths work) on the "python3" kernel of
this interpreter; parameters come from the RDNAS_* environment variables its first cell reads. Exits 1
at the first cell that raises, naming the notebook.
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(out_dir, notebooks):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in notebooks:
        path = Path(name).resolve()
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except CellExecutionError as e:
            nbformat.write(nb, out / path.name)
            print(f"FAILED {path.name}: {e}", file=sys.stderr)
            return 1
        nbformat.write(nb, out / path.name)
        print(f"executed {path.name} -> {out / path.name}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
