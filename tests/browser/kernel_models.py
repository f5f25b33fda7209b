"""What webgl_kernel_models.py and webgpu_kernel_models.py share: writing the ONNX models and
their index (models.json: each model's inputs, and any extra fields a script gives), seeded
weights, and the convolution and attention models both backends test."""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Models:
    def __init__(self, out, seed):
        self.out = out
        os.makedirs(out, exist_ok=True)
        self.rng = np.random.default_rng(seed)
        self.index = {}

    def save(self, name, nodes, inputs, outputs, inits=(), opset=13, **meta):
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
                                  [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
                                  [numpy_helper.from_array(v, k) for k, v in inits])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)])
        model.ir_version = 8
        onnx.save(model, os.path.join(self.out, name + '.onnx'))
        self.index[name] = {'inputs': [{'name': n, 'shape': s} for n, s in inputs], **meta}

    def weights(self, *shape):
        return (self.rng.standard_normal(shape) * 0.3).astype(np.float32)

    def conv_relu(self, convs):
        """Conv + Relu per entry of {name: (x shape, output channels, kernel, stride, pad, dilation, group)}."""
        for name, (x, m, k, s, p, d, g) in convs.items():
            self.save(name, [helper.make_node('Conv', ['x', 'w', 'b'], ['y'], kernel_shape=[k, k], strides=[s, s],
                                              pads=[p] * 4, dilations=[d, d], group=g),
                             helper.make_node('Relu', ['y'], ['z'])],
                      [('x', x)], ['z'], [('w', self.weights(m, x[1] // g, k, k)), ('b', self.weights(m))])

    def conv_residual(self):
        """A residual block: the second convolution adds the skip connection and the ReLU as it stores."""
        self.save('conv_residual', [
            helper.make_node('Conv', ['x', 'w1', 'b1'], ['h'], kernel_shape=[3, 3], pads=[1] * 4),
            helper.make_node('Relu', ['h'], ['hr']),
            helper.make_node('Conv', ['hr', 'w2', 'b2'], ['y'], kernel_shape=[1, 1]),
            helper.make_node('Add', ['y', 'x'], ['s']),
            helper.make_node('Relu', ['s'], ['z'])],
            [('x', [1, 8, 14, 14])], ['z'],
            [('w1', self.weights(12, 8, 3, 3)), ('b1', self.weights(12)), ('w2', self.weights(8, 12, 1, 1)), ('b2', self.weights(8))])

    # Attention as exporters write it, fused into one kernel (the scale and mask in the first product's
    # epilogue): Q . K' -> * scale -> + mask -> Softmax -> . V. (Q, K', V shapes, mask shape or None.)
    # Head sizes of no multiple of 4 (partial vec4s), query rows of no multiple of 16 (a partial
    # workgroup on GPUs), keys of several partial tiles with a mask of -10000 and the lowest float;
    # fewer keys than the 4 invocations that split a row (some see no key at all), V broadcast over
    # the heads; a typical head (64) over many tiles; and V's rows of 40 (on WebGL, a row takes
    # two fragments of 8 texels, the second partly past the row).
    ATTENTIONS = {
        'attention_masked_edges': ([2, 3, 37, 6], [2, 3, 6, 45], [2, 3, 45, 18], [2, 1, 1, 45]),
        'attention_few_keys_broadcast_v': ([3, 5, 8], [3, 8, 2], [1, 2, 8], None),
        'attention_head_64_long': ([2, 20, 64], [2, 64, 300], [2, 300, 64], None),
        'attention_values_of_40': ([1, 7, 12], [1, 12, 9], [1, 9, 40], None),
    }

    def attentions(self, cases=None, **meta):
        for name, (q, k, v, mask) in (cases or self.ATTENTIONS).items():
            nodes = [helper.make_node('MatMul', ['q', 'k'], ['s']), helper.make_node('Mul', ['s', 'scale'], ['scaled'])]
            inits = [('scale', np.array(1 / np.sqrt(q[-1]), np.float32))]
            if mask:
                nodes.append(helper.make_node('Add', ['scaled', 'mask'], ['masked']))
                m = np.zeros(mask, np.float32)
                m[..., 3::7] = -10000.0
                m[..., 5::11] = np.finfo(np.float32).min
                inits.append(('mask', m))
            nodes += [helper.make_node('Softmax', [nodes[-1].output[0]], ['p'], axis=-1),
                      helper.make_node('MatMul', ['p', 'v'], ['y'])]
            self.save(name, nodes, [('q', q), ('k', k), ('v', v)], ['y'], inits, **meta)

    def write_index(self):
        with open(os.path.join(self.out, 'models.json'), 'w') as f:
            json.dump(self.index, f, indent=1)
