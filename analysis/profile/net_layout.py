"""The layered early-exit network that the profiler times and the testbed runs.

A *layout* cuts a PyTorch model into named layers, in execution order, and puts branch heads after some of them:

* a layer is a list of items, run one after the other: module paths of the model (``features.3``), inclusive
  ranges of a container's children (``features.0..2`` = ``features.0``, ``features.1``, ``features.2``), or the
  functional steps that torchvision models do in ``forward`` rather than in a module: ``flatten()`` (flatten all
  but the batch dimension) and ``adaptive_avg_pool2d(N)``;
* a branch reads the output of one layer (at most one branch per layer, not after the last one) and runs a head:
  by default BranchyNet's exit block as the POPEX authors build it (``AdaptiveAvgPool2d(P)``, flatten, one
  ``Linear`` to the classes), or the user's own head from ``FILE.py:FUNCTION``, called with the branch's input
  shape (without the batch dimension) and returning an ``nn.Module``.

``build_network`` checks everything by running one real input through the network, so a wrong path or a shape
mismatch is reported before any timing. Weights are random (a fixed seed): nothing is ever downloaded, and the
timings of these dense networks do not depend on the weights' values. Library module; nothing to run.
"""
import importlib.util
import os
import re
from dataclasses import dataclass, field

import torch
from torch import nn

from profile_error import ProfileError

#: dtype names accepted for the input and the weights.
DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16}

_RANGE = re.compile(r"^(?:(.+)\.)?(\d+)\.\.(\d+)$")
_OP = re.compile(r"^(\w+)\((.*)\)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass
class LayerSpec:
    """One layer of a layout: its name and its items, as given on the command line."""

    name: str
    items: list


@dataclass
class BranchSpec:
    """One side branch: its name and the layer whose output it reads."""

    name: str
    after: str


@dataclass
class HeadSpec:
    """The branch head: BranchyNet's pool + flatten + linear, or ``factory`` = ``FILE.py:FUNCTION``."""

    pool: int = 2
    classes: int = 0  # 0: the width of the network's final output
    factory: str = ""


@dataclass
class Layout:
    """A whole layout: model, layers, branches, head, input."""

    model: str
    num_classes: int = 0  # 0: the model's default
    layers: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    head: HeadSpec = field(default_factory=HeadSpec)
    input_shape: tuple = (3, 224, 224)
    dtype: str = "float32"
    seed: int = 0


@dataclass
class Network:
    """A built layout: layer modules in order, branch heads by the index of the layer they follow, and one input."""

    layer_names: list
    layers: list  # nn.Module per layer
    branch_names: list  # in layer order
    branch_after: list  # 0-based index of the layer each branch reads
    heads: list  # nn.Module per branch
    example: torch.Tensor  # one input, batch 1
    layer_shapes: list  # output shape (with batch) of each layer
    layer_bytes: list  # bytes of each layer's output tensor
    input_bytes: int

    def branch_at(self, i):
        """Index of the branch after layer i (0-based), or None."""
        try:
            return self.branch_after.index(i)
        except ValueError:
            return None


def parse_layer(text):
    """``NAME=ITEM[,ITEM...]`` -> LayerSpec."""
    name, sep, items = text.partition("=")
    name = name.strip()
    if not sep or not _NAME.match(name) or not items.strip():
        raise ProfileError(f"--layer must be NAME=ITEM[,ITEM...] with a name of letters, digits, _ . - "
                           f"(got '{text}')")
    return LayerSpec(name, [i.strip() for i in items.split(",") if i.strip()])


def parse_branch(text):
    """``NAME=LAYER`` -> BranchSpec."""
    name, sep, after = text.partition("=")
    name, after = name.strip(), after.strip()
    if not sep or not _NAME.match(name) or not after:
        raise ProfileError(f"--branch must be NAME=LAYER (got '{text}')")
    return BranchSpec(name, after)


def parse_shape(text):
    """``3x224x224`` -> (3, 224, 224); every dimension a positive integer."""
    try:
        dims = tuple(int(d) for d in text.lower().split("x"))
    except ValueError:
        dims = ()
    if not dims or any(d <= 0 for d in dims):
        raise ProfileError(f"--input-shape must be positive integers joined by x, e.g. 3x224x224 (got '{text}')")
    return dims


def load_callable(spec, what):
    """``FILE.py:FUNCTION`` -> the function, imported from that file."""
    path, sep, func = spec.rpartition(":")
    if not sep or not path.endswith(".py") or not func:
        raise ProfileError(f"{what} must be a torchvision model name or FILE.py:FUNCTION (got '{spec}')")
    if not os.path.isfile(path):
        raise ProfileError(f"{what}: file '{path}' does not exist")
    module_spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(module_spec)
    _call(module_spec.loader.exec_module, (module,), f"{what}: importing '{path}'")
    fn = getattr(module, func, None)
    if not callable(fn):
        raise ProfileError(f"{what}: '{path}' has no function '{func}'")
    return fn


def torchvision_models():
    """Names of the torchvision classification model builders."""
    import torchvision.models as tvm

    return sorted(n for n in dir(tvm) if n[0].islower() and not n.startswith("_") and callable(getattr(tvm, n))
                  and n not in ("get_model", "get_model_builder", "get_model_weights", "get_weight", "list_models"))


def load_model(layout):
    """The model of a layout, randomly initialised, in eval mode."""
    if ":" in layout.model:
        model = _call(load_callable(layout.model, "--model"), (), f"--model {layout.model}")
        if not isinstance(model, nn.Module):
            raise ProfileError(f"--model: {layout.model} must return an nn.Module (got {type(model).__name__})")
        return model.eval()
    names = torchvision_models()
    if layout.model not in names:
        raise ProfileError(f"--model: unknown model '{layout.model}' (torchvision models: {', '.join(names)}; "
                           f"or FILE.py:FUNCTION)")
    import torchvision.models as tvm

    kwargs = {"weights": None}  # never download: random weights time the same
    if layout.num_classes:
        kwargs["num_classes"] = layout.num_classes
    return getattr(tvm, layout.model)(**kwargs).eval()


def _call(fn, args, what):
    """A user function's result; its failure is bad input, reported in one line."""
    try:
        return fn(*args)
    except Exception as e:  # the user's code may raise anything
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise ProfileError(f"{what} failed: {type(e).__name__}: {first}") from None


def _submodule(model, path, where):
    try:
        return model.get_submodule(path)
    except AttributeError:
        parent, _, _ = path.rpartition(".")
        try:
            children = [n for n, _ in (model.get_submodule(parent) if parent else model).named_children()]
        except AttributeError:
            children = [n for n, _ in model.named_children()]
            parent = ""
        hint = f"children of '{parent}'" if parent else "top-level modules"
        raise ProfileError(f"{where}: module path '{path}' does not exist ({hint}: {', '.join(children)})") from None


def _item_modules(model, item, where):
    """The modules of one layer item."""
    op = _OP.match(item)
    if op:
        fn, arg = op.group(1), op.group(2).strip()
        if fn == "flatten" and not arg:
            return [nn.Flatten(1)]
        if fn == "adaptive_avg_pool2d" and arg.isdigit() and int(arg) > 0:
            return [nn.AdaptiveAvgPool2d(int(arg))]
        raise ProfileError(f"{where}: unknown step '{item}' (steps: flatten(), adaptive_avg_pool2d(N))")
    rng = _RANGE.match(item)
    if rng:
        parent, lo, hi = rng.group(1) or "", int(rng.group(2)), int(rng.group(3))
        if hi < lo:
            raise ProfileError(f"{where}: range '{item}' must go upward (got {lo} > {hi})")
        return [_submodule(model, f"{parent}.{i}" if parent else str(i), where) for i in range(lo, hi + 1)]
    return [_submodule(model, item, where)]


def _default_layers(model):
    """Without --layer: each child of an nn.Sequential is one layer, l1..lN."""
    if not isinstance(model, nn.Sequential):
        raise ProfileError(f"--layer is required: the model ({type(model).__name__}) is not an nn.Sequential, so "
                           f"its layers cannot be guessed")
    return [LayerSpec(f"l{i + 1}", [name]) for i, (name, _) in enumerate(model.named_children())]


def _default_head(shape, head, classes):
    if len(shape) == 3:
        c = shape[0]
        return nn.Sequential(nn.AdaptiveAvgPool2d(head.pool), nn.Flatten(1), nn.Linear(c * head.pool ** 2, classes))
    width = 1
    for d in shape:
        width *= d
    return nn.Sequential(nn.Flatten(1), nn.Linear(width, classes))


def _run(module, x, where, source):
    try:
        return module(x)
    except (RuntimeError, ValueError, TypeError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        shape = "x".join(str(d) for d in x.shape)
        raise ProfileError(f"{where} does not accept {source} (shape {shape}, {x.dtype}): {first}") from None


def build_network(layout):
    """Build and check a layout: every path exists, every layer and head runs on the previous output."""
    if layout.dtype not in DTYPES:
        raise ProfileError(f"--dtype must be one of {', '.join(DTYPES)} (got '{layout.dtype}')")
    dtype = DTYPES[layout.dtype]
    torch.manual_seed(layout.seed)
    model = load_model(layout)
    specs = layout.layers or _default_layers(model)
    names = [s.name for s in specs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ProfileError(f"--layer: names must be unique (got {', '.join(dup)} twice)")
    layers = []
    for s in specs:
        modules = []
        for item in s.items:
            modules += _item_modules(model, item, f"--layer {s.name}")
        layers.append(nn.Sequential(*modules).eval().to(dtype))
    example = torch.rand((1,) + tuple(layout.input_shape)).to(dtype)
    x, shapes, sizes = example, [], []
    with torch.inference_mode():
        for i, (name, layer) in enumerate(zip(names, layers)):
            source = "the input" if i == 0 else f"the output of layer '{names[i - 1]}'"
            x = _run(layer, x, f"layer '{name}'", source)
            if not isinstance(x, torch.Tensor):
                raise ProfileError(f"layer '{name}' must return one tensor (got {type(x).__name__})")
            shapes.append(tuple(x.shape))
            sizes.append(x.numel() * x.element_size())
    branch_names, branch_after, heads = [], [], []
    classes = layout.head.classes or int(shapes[-1][-1])
    factory = load_callable(layout.head.factory, "--branch-head") if layout.head.factory else None
    for b in layout.branches:
        if b.name in branch_names or b.name in names:
            raise ProfileError(f"--branch {b.name}: names must be unique among layers and branches")
        if b.after not in names:
            raise ProfileError(f"--branch {b.name}={b.after}: no layer '{b.after}' (layers: {', '.join(names)})")
        i = names.index(b.after)
        if i == len(names) - 1:
            raise ProfileError(f"--branch {b.name}={b.after}: a branch cannot follow the last layer "
                               f"(the final exit is there)")
        if i in branch_after:
            raise ProfileError(f"--branch {b.name}={b.after}: layer '{b.after}' already has a branch "
                               f"(at most one per layer)")
        if branch_after and i < branch_after[-1]:
            raise ProfileError(f"--branch {b.name}={b.after}: branches must be given in layer order")
        in_shape = shapes[i][1:]
        head = _call(factory, (in_shape,), f"--branch-head {layout.head.factory}") if factory \
            else _default_head(in_shape, layout.head, classes)
        if not isinstance(head, nn.Module):
            raise ProfileError(f"--branch-head: {layout.head.factory} must return an nn.Module")
        head = head.eval().to(dtype)
        branch_names.append(b.name)
        branch_after.append(i)
        heads.append(head)
    with torch.inference_mode():
        x = example
        for i, layer in enumerate(layers):
            x = layer(x)
            k = branch_after.index(i) if i in branch_after else None
            if k is not None:
                _run(heads[k], x, f"the head of branch '{branch_names[k]}'", f"the output of layer '{names[i]}'")
    return Network(names, layers, branch_names, branch_after, heads, example, shapes, sizes,
                   example.numel() * example.element_size())
