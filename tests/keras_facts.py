"""What Keras itself says about each layer of a built model: the judge of our derivations."""

from __future__ import annotations

from math import prod


def keras_layers(model, prefix: str = ""):
    """(path, layer) for every layer, nested models' layers after the model, as Keras lists them.

    A Functional model's `operations` include op layers (`x / 127.5`) that `layers` leaves out."""
    for layer in getattr(model, "operations", None) or model.layers:
        path = prefix + layer.name
        yield path, layer
        if hasattr(layer, "layers") and hasattr(layer, "count_params") and layer.layers:
            yield from keras_layers(layer, path + "/")


def facts(layer) -> dict:
    try:
        output = layer.output
    except (AttributeError, ValueError):  # never called symbolically, or called several times
        shapes = None
    else:
        outputs = output if isinstance(output, (list, tuple)) else [output]
        shapes = [tuple(t.shape) for t in outputs]
    return {
        "output_shapes": shapes,
        "params": layer.count_params() if hasattr(layer, "count_params") else 0,
        "trainable": sum(prod(w.shape) for w in getattr(layer, "trainable_weights", ())),
        "non_trainable": sum(prod(w.shape) for w in getattr(layer, "non_trainable_weights", ())),
    }


def ours(row) -> dict:
    return {
        "output_shapes": [tuple(s) for s in row.output_shapes],
        "params": row.params.total,
        "trainable": row.params.trainable,
        "non_trainable": row.params.non_trainable,
    }


def differences(model, report) -> list[str]:
    """Every layer where the report and Keras disagree, with both sides; [] when all agree."""
    rows = {row.path: row for row in report.layers}
    problems = []
    keras_paths = []
    for path, layer in keras_layers(model):
        keras_paths.append(path)
        if path not in rows:
            problems.append(f"{path}: in Keras, missing from the report")
            continue
        expected, derived = facts(layer), ours(rows[path])
        if expected["output_shapes"] is None:  # Keras knows no shape: compare the params only
            derived["output_shapes"] = None
        if expected != derived:
            problems.append(
                f"{path} ({layer.__class__.__name__}): Keras {expected}, ours {derived}"
            )
        if not rows[path].derived:
            problems.append(f"{path}: not derived ({rows[path].explanation})")
    extra = set(rows) - set(keras_paths)
    problems += [f"{path}: in the report, not a layer in Keras" for path in sorted(extra)]
    totals = report.totals
    if (totals.params, totals.trainable, totals.non_trainable) != (
        model.count_params(),
        sum(prod(w.shape) for w in model.trainable_weights),
        sum(prod(w.shape) for w in model.non_trainable_weights),
    ):
        problems.append(f"totals differ: ours {totals}, Keras {model.count_params()}")
    return problems


def live_report(model):
    """Our report of a live model, through the architecture JSON Keras writes for it."""
    import json

    from inspector.analyze import analyze

    return analyze(json.loads(model.to_json()), source=model.name, source_format="live")


def functional_model(keras, build, *shapes):
    """A Functional model of `build(keras, *inputs)` on inputs of the given shapes (batch left
    out)."""
    inputs = [keras.Input(shape=shape) for shape in shapes]
    return keras.Model(inputs, build(keras, *inputs))
