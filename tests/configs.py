"""Small hand-written Keras 3 configs for graph and analysis tests."""

from __future__ import annotations


def tensor(layer: str, node: int = 0, index: int = 0, shape=None) -> dict:
    return {
        "class_name": "__keras_tensor__",
        "config": {"shape": shape, "dtype": "float32", "keras_history": [layer, node, index]},
    }


def layer(class_name: str, name: str, *inputs, module="keras.layers", **config) -> dict:
    entry = {
        "module": module,
        "class_name": class_name,
        "config": {"name": name, **config},
        "registered_name": None,
        "name": name,
        "inbound_nodes": [{"args": list(inputs), "kwargs": {}}] if inputs else [],
    }
    return entry


def input_layer(name: str, *shape) -> dict:
    return layer("InputLayer", name, batch_shape=[None, *shape])


def functional(name: str, layers: list, inputs, outputs, trainable: bool = True) -> dict:
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {
            "name": name,
            "trainable": trainable,
            "layers": layers,
            "input_layers": inputs,
            "output_layers": outputs,
        },
        "registered_name": "Functional",
    }


def sequential(name: str, layers: list, **config) -> dict:
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": name, "layers": layers, **config},
    }
