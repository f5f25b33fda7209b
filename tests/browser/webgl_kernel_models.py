#!/usr/bin/env python3
"""ONNX models that reach each fast path and edge of the WebGL kernels (see
tests/browser/webgl_kernels.test.mjs): convolutions of every shape class the image layout meets
(groups, depthwise, dilation, strides that do and do not line up with the layers, images
narrower than 8), ConvTranspose, more inputs than one draw samples, the layout changes
between image and flat tensors, transposes as views, and running maxima and minima (NaN).
usage: webgl_kernel_models.py OUT_DIR   (writes NAME.onnx files and models.json)"""
import sys

import numpy as np
from onnx import helper

from kernel_models import Models

models = Models(sys.argv[1], 20240611)
save, weights = models.save, models.weights


CONVS = {
    'conv_grouped': ([1, 16, 9, 11], 24, 3, 1, 1, 1, 2),
    'conv_depthwise_s2': ([1, 12, 13, 10], 12, 3, 2, 1, 1, 12),
    'conv_depthwise_multiplier': ([1, 4, 6, 9], 8, 3, 1, 1, 1, 4),
    'conv_dilation2': ([2, 5, 12, 12], 6, 3, 1, 2, 2, 1),
    'conv_width3': ([1, 8, 5, 3], 8, 3, 1, 1, 1, 1),
    'conv_stride2_width6': ([1, 4, 6, 6], 9, 3, 2, 1, 1, 1),
    'conv_stride3': ([1, 7, 9, 9], 5, 3, 3, 0, 1, 1),
    'conv_k5_stride2': ([1, 3, 17, 23], 10, 5, 2, 2, 1, 1),
    'conv_width1': ([1, 20, 7, 1], 6, 1, 1, 0, 1, 1),
    'conv_7x7_stride2': ([1, 3, 30, 30], 16, 7, 2, 3, 1, 1),
    # Patches (a ViT's embedding): too many taps under 8 windows to hold, read in a loop.
    'conv_patches_padded': ([1, 3, 16, 64], 16, 8, 8, 2, 1, 1),
    'conv_depthwise_patches': ([1, 8, 8, 64], 8, 8, 8, 0, 1, 8),
}
models.conv_relu(CONVS)

# A residual block: the second convolution adds the skip connection and the ReLU as it stores.
models.conv_residual()

for name, (x, m, k, s, p) in {'conv_transpose_s2': ([1, 8, 5, 6], 4, 3, 2, 1),
                              'conv_transpose_k4': ([1, 6, 4, 4], 8, 4, 2, 1)}.items():
    save(name, [helper.make_node('ConvTranspose', ['x', 'w', 'b'], ['y'], kernel_shape=[k, k], strides=[s, s], pads=[p] * 4)],
         [('x', x)], ['y'], [('w', weights(x[1], m, k, k)), ('b', weights(m))])

save('concat_20_inputs', [helper.make_node('Concat', [f'x{i}' for i in range(20)], ['y'], axis=1)],
     [(f'x{i}', [1, 3, 5, 7]) for i in range(20)], ['y'])
save('concat_unaligned_channels', [helper.make_node('Concat', ['a', 'b', 'c'], ['y'], axis=1)],
     [('a', [1, 3, 4, 9]), ('b', [1, 5, 4, 9]), ('c', [1, 2, 4, 9])], ['y'])

# Image layout to flat and back: global pooling, flatten (a shared texture), a fully connected
# layer, softmax; and a transpose to channels-last.
save('pool_flatten_gemm_softmax', [
    helper.make_node('MaxPool', ['x'], ['p'], kernel_shape=[3, 3], strides=[2, 2], pads=[1] * 4),
    helper.make_node('GlobalAveragePool', ['p'], ['g']),
    helper.make_node('Flatten', ['g'], ['f']),
    helper.make_node('Gemm', ['f', 'w', 'c'], ['l'], transB=1),
    helper.make_node('Softmax', ['l'], ['y'], axis=1)],
    [('x', [1, 16, 11, 13])], ['y'], [('w', weights(10, 16)), ('c', weights(10))])
save('transpose_to_channels_last', [helper.make_node('Transpose', ['x'], ['y'], perm=[0, 2, 3, 1])], [('x', [2, 5, 6, 9])], ['y'])
# Transposes as views (their readers find elements through the input's layout, relabelled): a
# softmax along the input's packed axis, an add with a tensor of its own layout, a channels-last
# LayerNorm and the transpose back read by a ReLU, and a view of a view.
save('transpose_view_softmax', [helper.make_node('Transpose', ['x'], ['t'], perm=[0, 2, 3, 1]),
                                helper.make_node('Softmax', ['t'], ['y'], axis=-1)], [('x', [1, 6, 5, 7])], ['y'])
save('transpose_view_add', [helper.make_node('Transpose', ['x'], ['t'], perm=[0, 3, 1, 2]),
                            helper.make_node('Add', ['t', 'z'], ['y'])], [('x', [1, 5, 6, 7]), ('z', [1, 7, 5, 6])], ['y'])
save('transpose_view_layer_norm_back', [
    helper.make_node('Transpose', ['x'], ['t'], perm=[0, 2, 3, 1]),
    helper.make_node('LayerNormalization', ['t', 's', 'b'], ['n'], axis=-1),
    helper.make_node('Transpose', ['n'], ['u'], perm=[0, 3, 1, 2]),
    helper.make_node('Relu', ['u'], ['y'])],
    [('x', [1, 10, 5, 6])], ['y'], [('s', weights(10)), ('b', weights(10))], opset=17)
save('transpose_view_of_view', [helper.make_node('Transpose', ['x'], ['t'], perm=[0, 2, 3, 1]),
                                helper.make_node('Transpose', ['t'], ['u'], perm=[0, 2, 1, 3]),
                                helper.make_node('Sigmoid', ['u'], ['y'])], [('x', [1, 9, 5, 6])], ['y'])
save('matmul_constant_b', [helper.make_node('MatMul', ['x', 'w'], ['y'])], [('x', [3, 7, 10])], ['y'], [('w', weights(10, 13))])
save('resize_image_nearest_linear', [
    helper.make_node('Resize', ['x', '', 'sn'], ['a'], mode='nearest'),
    helper.make_node('Resize', ['a', '', 'sl'], ['y'], mode='linear')],
    [('x', [1, 6, 5, 7])], ['y'],
    [('sn', np.array([1, 1, 2, 2], np.float32)), ('sl', np.array([1, 1, 1.5, 0.5], np.float32))])

# Running maxima and minima, four channels at once (MaxPool, ReduceMin over H and W) and one
# element at a time (ReduceMax over the channels): the NaN test feeds NaN (webgl_kernels.test.mjs).
save('max_min_nan', [
    helper.make_node('MaxPool', ['x'], ['p'], kernel_shape=[3, 3], strides=[2, 2], pads=[1] * 4),
    helper.make_node('ReduceMax', ['x'], ['c'], axes=[1], keepdims=1),
    helper.make_node('ReduceMin', ['x'], ['s'], axes=[2, 3], keepdims=1)],
    [('x', [1, 8, 9, 10])], ['p', 'c', 's'])

# CumSum reading its line element by element at a computed coordinate: across the texels of a
# long row, and along the channels of an image layout; GatherND picking rows of an image layout.
save('cumsum_long_line_reverse', [helper.make_node('CumSum', ['x', 'a'], ['y'], reverse=1)], [('x', [2, 700])], ['y'],
     [('a', np.array(1, np.int64))])
save('cumsum_image_channels_exclusive', [helper.make_node('CumSum', ['x', 'a'], ['y'], exclusive=1)], [('x', [1, 6, 5, 7])],
     ['y'], [('a', np.array(1, np.int64))])
save('gather_nd_image_rows', [helper.make_node('GatherND', ['x', 'i'], ['y'])], [('x', [1, 6, 5, 7])], ['y'],
     [('i', np.array([[0, 2, 4], [0, -1, 0], [-1, 3, -2]], np.int64))])

# Attention fused into one draw that stores no scores (kernel_models.py; the softmax of the scores
# is 2 draws of its own otherwise).
models.attentions(draws=1)
# Heads of 128 (a large language model's): fused on WebGL, not on WebGPU.
models.attentions({'attention_head_128': ([1, 2, 9, 128], [1, 2, 128, 21], [1, 2, 21, 128], [1, 1, 9, 21])}, draws=1)

models.write_index()
