"""Writers of the two files the profiler produces, in the project's formats:

* a DNN YAML (docs/workloads.md): name, sizes, layers with ``cloud_time_s`` and ``output_bytes``, branches with
  their head's ``cloud_time_s``, and the exit data (exit_source.ExitData);
* an edge profile (docs/workloads.md, "Edge profiles"): ``edge_profile`` (the device), ``dnn`` (the DNN's name),
  and the ``edge_time_s`` of every layer and branch, by name.

Both open with comment lines (provenance). Numbers are written as the derived workloads write them: 12 significant
digits, never in exponent notation, so that every YAML parser reads a float. The writer is generic over the exit
data read from another DNN file (variants, tables), so a copy keeps every key and value. Library module; nothing
to run.
"""
import os
import textwrap
from decimal import Decimal

from exit_source import EXIT_KEYS


def num(x):
    """A YAML number: an int as an int, a float with 12 significant digits and never in exponent notation."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    s = format(Decimal(f"{float(x):.12g}"), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s if "." in s else s + ".0"


def _scalar(v):
    if isinstance(v, (int, float)):
        return num(v)
    text = str(v)
    plain = text and all(c.isalnum() or c in "_-./" for c in text) and not text[0].isdigit() \
        and text not in ("true", "false", "null", "yes", "no", "on", "off")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(d):
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in d.items()) + "}"


def _is_row(v):
    return isinstance(v, dict) and all(not isinstance(x, (dict, list)) for x in v.values())


def emit(key, value, indent=""):
    """YAML lines for `key: value`: mappings in block style, rows of scalars (table rows) in flow style."""
    if isinstance(value, dict):
        if _is_row(value):
            return [f"{indent}{key}: {_flow(value)}"]
        lines = [f"{indent}{key}:"]
        for k, v in value.items():
            lines += emit(k, v, indent + "  ")
        return lines
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            if _is_row(item):
                lines.append(f"{indent}  - {_flow(item)}")
            elif isinstance(item, dict):
                sub = []
                for k, v in item.items():
                    sub += emit(k, v, indent + "    ")
                lines.append(f"{indent}  - {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{indent}  - {_scalar(item)}")
        return lines
    return [f"{indent}{key}: {_scalar(value)}"]


def comment(lines, width=116):
    """Lines as YAML comments; long prose lines are wrapped, indented lines (commands, tables) are kept whole."""
    out = []
    for line in lines:
        wrapped = [line] if line.startswith(" ") or not line else textwrap.wrap(line, width)
        out += ["# " + w if w else "#" for w in wrapped]
    return out


def _write(path, lines):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def write_dnn(path, header, name, input_bytes, result_bytes, layers, branches, exits):
    """layers: [(name, seconds, output bytes)]; branches: [(name, after, seconds)]; exits: ExitData."""
    out = comment(header) + emit("name", name) + emit("input_bytes", int(input_bytes)) \
        + emit("result_bytes", int(result_bytes))
    for key in ("default_threshold", "variant"):
        if key in exits.top:
            out += emit(key, exits.top[key])
    out.append("layers:")
    out += [f"  - {_flow({'name': n, 'cloud_time_s': float(t), 'output_bytes': int(b)})}" for n, t, b in layers]
    if branches:
        out.append("branches:")
        for n, after, t in branches:
            out += [f"  - name: {_scalar(n)}", f"    after: {_scalar(after)}", f"    cloud_time_s: {num(float(t))}"]
            if n in exits.branch_exits:
                out += emit("exits", exits.branch_exits[n], "    ")
    for key in EXIT_KEYS:
        if key in exits.top and key not in ("default_threshold", "variant"):
            out += emit(key, exits.top[key])
    _write(path, out)


def write_edge_profile(path, header, device, dnn_name, layers, branches):
    """layers: [(name, seconds)]; branches: [(name, seconds)]."""
    out = comment(header) + emit("edge_profile", device) + emit("dnn", dnn_name)
    out.append("layers:")
    out += [f"  - {_flow({'name': n, 'edge_time_s': float(t)})}" for n, t in layers]
    if branches:
        out.append("branches:")
        out += [f"  - {_flow({'name': n, 'edge_time_s': float(t)})}" for n, t in branches]
    _write(path, out)
