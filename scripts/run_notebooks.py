"""Execute notebooks headless on the project's tslab kernel (called by scripts/run-notebooks.js).

For each notebook: run every cell in a fresh kernel whose working directory is the repository root,
write the executed copy and an HTML export to out/, and print one summary line. Stops at the first
failing cell and prints that cell's source and the real error (tslab reports errors on the cell's
stderr; the kernel's error reply itself is empty).
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def error_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            tb = "\n".join(out.get("traceback") or [])
            parts.append(tb or f"{out.get('ename', '')}: {out.get('evalue', '')}")
    return "".join(parts).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    exporter = HTMLExporter()
    for path in args.notebooks:
        name = os.path.splitext(os.path.basename(path))[0]
        nb = nbformat.read(path, as_version=4)
        state = {"index": None}

        def on_start(cell, cell_index, **kw):
            state["index"] = cell_index

        client = NotebookClient(
            nb,
            kernel_name=args.kernel,
            timeout=args.timeout,
            resources={"metadata": {"path": args.root}},
            on_cell_start=on_start,
        )
        t0 = time.time()
        failure = None
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
            failure = e
        seconds = time.time() - t0
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        if failure is None:
            # tslab leaves execution_count empty in replies; the cells did run in order 1..N.
            for i, c in enumerate(code_cells, 1):
                if c.get("execution_count") is None:
                    c["execution_count"] = i
                for out in c.get("outputs", []):
                    if out.get("output_type") == "execute_result" and out.get("execution_count") is None:
                        out["execution_count"] = i
        ipynb_out = os.path.join(args.out, name + ".ipynb")
        nbformat.write(nb, ipynb_out)
        if failure is not None:
            idx = state["index"]
            cell = nb.cells[idx] if idx is not None else None
            print(f"FAIL {name}.ipynb after {seconds:.1f} s", file=sys.stderr)
            if cell is not None:
                print(f"--- cell {idx + 1} of {len(nb.cells)} ---", file=sys.stderr)
                print(cell.source, file=sys.stderr)
                print("--- error ---", file=sys.stderr)
                print(error_text(cell) or str(failure).strip() or type(failure).__name__, file=sys.stderr)
            else:
                print(str(failure), file=sys.stderr)
            print(f"(partial executed copy: {ipynb_out})", file=sys.stderr)
            return 1
        body, _ = exporter.from_notebook_node(nb)
        html_out = os.path.join(args.out, name + ".html")
        with open(html_out, "w", encoding="utf-8") as f:
            f.write(body)
        size = os.path.getsize(ipynb_out) / 1e6
        print(f"ok   {name}.ipynb  {len(code_cells)} code cells  {seconds:.1f} s  -> {os.path.relpath(html_out, args.root)}  ({size:.1f} MB executed)")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
