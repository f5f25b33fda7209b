#!/usr/bin/env python3
"""ONNX models that reach each fast path and edge of the WebGPU kernels (see
tests/browser/webgpu_kernels.test.mjs): matrix products whose sizes are not multiples of the
tiles (and the one-row product, shallow depths, broadcast batches), convolutions of every kind the
generator tells apart (implicit GEMM padded or not, pointwise, grouped, depthwise with a channel
multiplier, dilated, batched, with a residual epilogue), pooling windows too large to unroll,
reductions and rows long enough for a workgroup each, more inputs than a dispatch binds, constants
at the edges of f32 written into shaders, and a weight split because it exceeds the binding limit
(models.json gives that model a smaller limit, WEBDNN_WEBGPU_MAX_BINDING, for the converter).
usage: webgpu_kernel_models.py OUT_DIR   (writes NAME.onnx files and models.json)"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from kernel_models import Models

models = Models(sys.argv[1], 20240612)
save, weights = models.save, models.weights


# Matrix products: (A shape, B shape); B a constant when marked.
MATMULS = {
    'matmul_tile_edges': ([37, 53], [53, 29]),
    'matmul_shallow_k5': ([20, 5], [5, 18]),
    'matmul_one_row_gemv': ([1, 300], [300, 70]),
    'matmul_one_row_short': ([1, 40], [40, 9]),
    'matmul_broadcast_batch': ([2, 3, 17, 9], [9, 23]),
    'matmul_batch_both': ([4, 33, 20], [4, 20, 65]),
    'matmul_thin_n3': ([70, 24], [24, 3]),
    'matmul_wide_m2': ([2, 64], [64, 130]),
    # Deep, with few 32 x 32 blocks: 16 x 16 blocks on GPUs, every edge partial.
    'matmul_deep_small_blocks': ([37, 520], [520, 45]),
}
for name, (a, b) in MATMULS.items():
    save(name, [helper.make_node('MatMul', ['a', 'b'], ['y'])], [('a', a), ('b', b)], ['y'])
# The GPUs' kernel for deep products of 512+ rows and 100+ 16 x 32 blocks (vec4 operands, four
# slices of the workgroup over the depth), forced by WEBDNN_WEBGPU_TILES on a product 13x smaller
# than one it picks itself ([520, 1030] x [1030, 100] took 21 s of SwiftShader): every edge partial,
# the depth too (262 is no multiple of the 64 the slices take per step).
save('matmul_deep_vec_slices', [helper.make_node('MatMul', ['a', 'b'], ['y'])], [('a', [40, 262]), ('b', [262, 100])],
     ['y'], env={'WEBDNN_WEBGPU_TILES': '4,8,4,4,16,1,4'})

save('gemm_trans_alpha_beta_row_bias', [
    helper.make_node('Gemm', ['a', 'b', 'c'], ['y'], transA=1, transB=1, alpha=0.7, beta=1.3)],
    [('a', [19, 11])], ['y'], [('b', weights(27, 19)), ('c', weights(1, 27))])
save('gemm_relu_epilogue', [helper.make_node('Gemm', ['a', 'b', 'c'], ['g'], transB=1),
                            helper.make_node('Relu', ['g'], ['y'])],
     [('a', [5, 67])], ['y'], [('b', weights(130, 67)), ('c', weights(130))])
# One row times a deep transposed weight: a workgroup of 256 lanes per column on GPUs, the depth
# (1100) one step of four rounds and a partial last round.
save('gemm_one_row_deep', [helper.make_node('Gemm', ['a', 'b'], ['y'], transB=1)],
     [('a', [1, 1100])], ['y'], [('b', weights(9, 1100))])
# 256 x 512 floats (512 KiB) under a 128 KiB binding limit: cut into four products.
save('gemm_split_weight', [helper.make_node('Gemm', ['a', 'b', 'c'], ['y'], transB=1)],
     [('a', [1, 512])], ['y'], [('b', weights(256, 512)), ('c', weights(256))], max_binding=131072)

# Convolutions: (x shape, output channels, kernel, stride, pad, dilation, group).
CONVS = {
    'conv_pointwise': ([1, 24, 9, 11], 20, 1, 1, 0, 1, 1),
    'conv_pointwise_stride2': ([1, 8, 9, 11], 12, 1, 2, 0, 1, 1),
    'conv_3x3_unpadded': ([1, 5, 10, 13], 7, 3, 1, 0, 1, 1),
    'conv_3x3_padded_batch2': ([2, 6, 9, 9], 10, 3, 1, 1, 1, 1),
    'conv_7x7_stride2': ([1, 3, 30, 30], 16, 7, 2, 3, 1, 1),
    'conv_dilation2': ([1, 5, 12, 12], 6, 3, 1, 2, 2, 1),
    'conv_grouped': ([1, 16, 9, 11], 24, 3, 1, 1, 1, 2),
    'conv_grouped_batch2': ([2, 12, 7, 7], 6, 3, 2, 1, 1, 3),
    'conv_depthwise_s2': ([1, 12, 13, 10], 12, 3, 2, 1, 1, 12),
    'conv_depthwise_multiplier': ([2, 4, 6, 9], 8, 3, 1, 1, 1, 4),
    'conv_depthwise_5x5_dilated': ([1, 6, 14, 14], 6, 5, 1, 4, 2, 6),
    # 3x3 of stride 1 and 256+ channels each way: Winograd F(2x2, 3x3), its weights transformed at
    # load; odd output sizes leave the last 2x2 blocks partial, two images share the products, and
    # 260 output channels leave partial blocks of the products.
    'conv_winograd_odd_batch2': ([2, 256, 5, 7], 260, 3, 1, 1, 1, 1),
    'conv_winograd_unpadded': ([1, 256, 9, 6], 256, 3, 1, 0, 1, 1),
}
models.conv_relu(CONVS)

# Products of 128 or more 32 x 64 blocks (vec4 operands in workgroup memory), both edges partial:
# 21 x 11 blocks of a MatMul, 3 x 88 of a convolution. Each is then multiplied by a thin random
# matrix, so that a wrong element shows in a small output (a page returns 300K values slowly).
save('matmul_big_blocks_edges', [helper.make_node('MatMul', ['a', 'b'], ['p']), helper.make_node('MatMul', ['p', 'c'], ['y'])],
     [('a', [650, 8]), ('b', [8, 700])], ['y'], [('c', weights(700, 3))])
# And 300 or more 64 x 64 blocks (18 x 18 here, both edges partial).
save('matmul_huge_blocks_edges', [helper.make_node('MatMul', ['a', 'b'], ['p']), helper.make_node('MatMul', ['p', 'c'], ['y'])],
     [('a', [1100, 8]), ('b', [8, 1100])], ['y'], [('c', weights(1100, 3))])
save('conv_big_blocks_edges', [
    helper.make_node('Conv', ['x', 'w', 'bias'], ['conv'], kernel_shape=[3, 3], pads=[1] * 4),
    helper.make_node('Reshape', ['conv', 'rows'], ['flat']), helper.make_node('MatMul', ['flat', 'c'], ['y'])],
    [('x', [1, 9, 75, 75])], ['y'], [('w', weights(70, 9, 3, 3)), ('bias', weights(70)),
                                     ('rows', np.array([70, 5625], np.int64)), ('c', weights(5625, 3))])

# A residual block: the second convolution adds the skip connection and the ReLU as it stores.
models.conv_residual()

save('conv_transpose_grouped_s2', [helper.make_node('ConvTranspose', ['x', 'w', 'b'], ['y'], kernel_shape=[3, 3],
                                                    strides=[2, 2], pads=[1] * 4, group=2)],
     [('x', [1, 8, 5, 6])], ['y'], [('w', weights(8, 3, 3, 3)), ('b', weights(6))])

# Windows of more than 16 taps are looped, not unrolled.
save('maxpool_5x5_loop', [helper.make_node('MaxPool', ['x'], ['y'], kernel_shape=[5, 5], pads=[2] * 4)], [('x', [1, 3, 11, 12])], ['y'])
save('avgpool_5x5_include_pad', [helper.make_node('AveragePool', ['x'], ['y'], kernel_shape=[5, 5], strides=[2, 2], pads=[2] * 4,
                                                  count_include_pad=1)], [('x', [1, 3, 11, 12])], ['y'])
save('global_avgpool_large', [helper.make_node('GlobalAveragePool', ['x'], ['y'])], [('x', [1, 3, 40, 40])], ['y'])

# Few outputs with many members: a workgroup per output.
save('reduce_sum_long', [helper.make_node('ReduceSum', ['x', 'axes'], ['y'], keepdims=0)], [('x', [3, 5000])], ['y'],
     [('axes', np.array([1], np.int64))])
save('reduce_logsumexp_long', [helper.make_node('ReduceLogSumExp', ['x'], ['y'], axes=[0, 2], keepdims=1)],
     [('x', [40, 3, 50])], ['y'])
save('reduce_mean_apart_axes', [helper.make_node('ReduceMean', ['x'], ['y'], axes=[1, 3], keepdims=0)], [('x', [3, 4, 5, 6])], ['y'])
save('argmax_inner_axis', [helper.make_node('ArgMax', ['x'], ['i'], axis=1, keepdims=0),
                           helper.make_node('Cast', ['i'], ['y'], to=TensorProto.FLOAT)], [('x', [3, 70, 4])], ['y'])

# Rows long enough for a workgroup each, and rows along an inner axis.
save('softmax_long_rows', [helper.make_node('Softmax', ['x'], ['y'], axis=1)], [('x', [3, 1000])], ['y'])
save('logsoftmax_inner_axis', [helper.make_node('LogSoftmax', ['x'], ['y'], axis=1)], [('x', [2, 300, 3])], ['y'])
# Rows of 128 or more get a workgroup each on GPUs however many they are, not on SwiftShader.
save('softmax_rows_of_130', [helper.make_node('Softmax', ['x'], ['y'], axis=1)], [('x', [40, 130])], ['y'])
save('layer_norm_rows_of_160', [helper.make_node('LayerNormalization', ['x', 's', 'b'], ['y'], axis=-1)], [('x', [60, 160])], ['y'],
     [('s', weights(160)), ('b', weights(160))], opset=17)
save('instance_norm_long_rows', [helper.make_node('InstanceNormalization', ['x', 's', 'b'], ['y'])], [('x', [1, 4, 32, 32])], ['y'],
     [('s', weights(4)), ('b', weights(4))])

# Attention as exporters write it, fused into one kernel (kernel_models.py).
models.attentions(dispatches='FusedAttention')
# Heads of more than 64 (language models' 80 to 128, Stable Diffusion's 160): the GPU kernel takes
# the depth in more slices and V's tile in slices of 64 columns, the last one narrower (80, 130),
# with one range of keys (29 keys) or several, and several tiles of keys a range (64 blocks of rows,
# K' and V broadcast). Their scores are small: by default such heads are left unfused there (faster
# on an H100), so the conversion is asked to fuse them (WEBDNN_WEBGPU_FUSED_ATTENTION=all).
models.attentions({
    'attention_head_80': ([2, 37, 80], [2, 80, 45], [2, 45, 80], None),
    'attention_head_128_masked': ([1, 2, 33, 128], [1, 2, 128, 70], [1, 2, 70, 128], [1, 1, 33, 70]),
    'attention_head_96_values_128': ([2, 40, 96], [2, 96, 29], [2, 29, 128], None),
    'attention_head_160_values_130': ([1, 3, 20, 160], [1, 3, 160, 50], [1, 3, 50, 130], None),
    'attention_head_80_tiles_a_range': ([64, 32, 80], [1, 80, 600], [1, 600, 80], None),
}, dispatches='FusedAttention', env={'WEBDNN_WEBGPU_FUSED_ATTENTION': 'all'})

# A dispatch binds at most 8 buffers: twelve inputs share bindings.
save('concat_12_inputs', [helper.make_node('Concat', [f'x{i}' for i in range(12)], ['y'], axis=1)],
     [(f'x{i}', [1, 3, 5, 7]) for i in range(12)], ['y'])

# Constants at the edges of f32 as WGSL literals: an attention mask filled with the lowest float
# (WGSL rejects 3.40282347e+38, FLT_MAX to nine digits), both extremes, the smallest denormal and -0.
# Each constant has one user, so that it is folded into its shader as a literal.
F32 = np.finfo(np.float32)
save('float_literal_edges', [
    helper.make_node('Greater', ['x', 'zero'], ['keep']),  # inputs in [-1, 1): about half masked
    helper.make_node('Where', ['keep', 'x', 'lowest'], ['masked']),
    helper.make_node('Softmax', ['masked'], ['attention'], axis=1),
    helper.make_node('Less', ['x', 'zero_too'], ['low']),
    helper.make_node('Where', ['low', 'lowest_too', 'highest'], ['extremes']),
    helper.make_node('Mul', ['x', 'denormal'], ['tiny']),
    helper.make_node('Mul', ['x', 'negative_zero'], ['signed_zero']),
    helper.make_node('Add', ['x', 'tiny'], ['sum']),
    helper.make_node('Add', ['sum', 'signed_zero'], ['y'])],
    [('x', [4, 33])], ['attention', 'extremes', 'y'],
    [('zero', np.zeros([1], np.float32)), ('lowest', np.array([F32.min], np.float32)),
     ('zero_too', np.zeros([1], np.float32)), ('lowest_too', np.array([F32.min], np.float32)),
     ('highest', np.array([F32.max], np.float32)), ('denormal', np.array([F32.smallest_subnormal], np.float32)),
     ('negative_zero', np.array([-0.0], np.float32))])

# CumSum over lines long enough to span workgroups, summed from the end; GatherND rows for
# thousands of invocations.
save('cumsum_long_line_exclusive_reverse', [helper.make_node('CumSum', ['x', 'a'], ['y'], exclusive=1, reverse=1)],
     [('x', [3, 1000])], ['y'], [('a', np.array(-1, np.int64))])
save('gather_nd_many_rows', [helper.make_node('GatherND', ['x', 'i'], ['y'])], [('x', [50, 40])], ['y'],
     [('i', models.rng.integers(-50, 50, size=[300, 1]).astype(np.int64))])

# QDQ models as onnxruntime's static quantization writes them, their products in integers
# (integer_product.cc): int8 weights per output channel, int32 biases. Activation zero points off
# the middle (uint8 100 and 37, int8 3) make the offset into int8 and its correction matter, and
# odd channel counts and depths leave padded words. The outputs stay floats (no last
# QuantizeLinear), so that a wrong sum shows and a rounding tie cannot.
def qdq(nodes, inits, name, scale, zero, dtype=np.uint8):
    s, z = name + '_s', name + '_z'
    inits += [(s, np.array(scale, np.float32)), (z, np.array(zero, dtype))]
    nodes += [helper.make_node('QuantizeLinear', [name, s, z], [name + '_q']),
              helper.make_node('DequantizeLinear', [name + '_q', s, z], [name + '_dq'])]
    return name + '_dq'


def qdq_weight(nodes, inits, name, shape, axis):
    n = shape[axis]
    inits += [(name + '_i8', models.rng.integers(-127, 128, size=shape).astype(np.int8)),
              (name + '_s', models.rng.uniform(0.002, 0.004, size=[n]).astype(np.float32)), (name + '_z', np.zeros(n, np.int8))]
    nodes.append(helper.make_node('DequantizeLinear', [name + '_i8', name + '_s', name + '_z'], [name], axis=axis))
    return name


def qdq_bias(nodes, inits, name, n, scale=1e-4):
    inits += [(name + '_i32', models.rng.integers(-500, 500, size=[n]).astype(np.int32)),
              (name + '_s', np.broadcast_to(np.float32(scale), [n]).astype(np.float32)), (name + '_z', np.zeros(n, np.int32))]
    nodes.append(helper.make_node('DequantizeLinear', [name + '_i32', name + '_s', name + '_z'], [name], axis=0))
    return name


def qdq_conv(nodes, inits, x, name, c, m, k, stride=1, pad=0):
    w = qdq_weight(nodes, inits, name + '_w', [m, c, k, k], 0)
    nodes.append(helper.make_node('Conv', [x, w, qdq_bias(nodes, inits, name + '_b', m)], [name], kernel_shape=[k, k],
                                  strides=[stride] * 2, pads=[pad] * 4))
    return name


# (x shape, output channels, kernel, stride, pad, the input's zero point)
QDQ_CONVS = {
    'qdq_conv_pointwise': ([1, 24, 9, 11], 20, 1, 1, 0, 100),
    'qdq_conv_3x3_stride2_odd': ([1, 5, 13, 11], 7, 3, 2, 1, 37),
    'qdq_conv_3x3_deep': ([1, 64, 10, 10], 40, 3, 1, 1, 128),
}
for name, (x, m, k, stride, pad, zero) in QDQ_CONVS.items():
    nodes, inits = [], []
    xq = qdq(nodes, inits, 'x', 2 / 255, zero)
    qdq_conv(nodes, inits, xq, 'y', x[1], m, k, stride, pad)
    save(name, nodes, [('x', x)], ['y'], inits, packed_dot=True)

# A residual block: a 3x3 convolution requantized, a 1x1 one adding the skip connection (the
# input's grid) with a Relu, requantized (uint8, zero point 0: multiples 0..255), and a last 1x1.
nodes, inits = [], []
xq = qdq(nodes, inits, 'x', 2 / 255, 128)
h = qdq(nodes, inits, qdq_conv(nodes, inits, xq, 'h', 8, 8, 3, 1, 1), 0.05, 120)
nodes += [helper.make_node('Add', [qdq_conv(nodes, inits, h, 'g', 8, 8, 1), xq], ['sum']), helper.make_node('Relu', ['sum'], ['r'])]
qdq_conv(nodes, inits, qdq(nodes, inits, 'r', 0.02, 0), 'y', 8, 6, 1)
save('qdq_conv_residual_requantized', nodes, [('x', [1, 8, 14, 14])], ['y'], inits, packed_dot=True)

# A transformer projection on int8 activations (zero point 3), depth 30 (no multiple of 4), and a
# classifier row on uint8 ones (one row, depth 300: the GPU's one-row kernel), each plus a bias.
nodes, inits = [], []
aq = qdq(nodes, inits, 'a', 1 / 127, 3, np.int8)
nodes += [helper.make_node('MatMul', [aq, qdq_weight(nodes, inits, 'w', [30, 19], 1)], ['p']),
          helper.make_node('Add', ['p', 'bias'], ['y'])]
save('qdq_matmul_int8_odd_depth', nodes, [('a', [2, 7, 30])], ['y'], inits + [('bias', weights(19))], packed_dot=True)
nodes, inits = [], []
aq = qdq(nodes, inits, 'a', 2 / 255, 128)
# (A Gemm with an int32 bias is op_QDQ_MatMul_Gemm's; onnxruntime's fused QGemm of one row
# disagreed here with numpy's product of the dequantized operands.)
nodes += [helper.make_node('MatMul', [aq, qdq_weight(nodes, inits, 'w', [300, 40], 1)], ['p']),
          helper.make_node('Add', ['p', 'bias'], ['y'])]
save('qdq_matmul_one_row', nodes, [('a', [1, 300])], ['y'], inits + [('bias', weights(40))], packed_dot=True)

models.write_index()

# Exported in half precision (float16 inputs, outputs and weights), in half/ with an index of its
# own: their f16 programs run on lavapipe (webgpu_lavapipe.test.mjs), which has shader-f16. Their
# inputs are scaled past 100 in the graph (after a float16 input in [-1, 1)), so that sums and
# squares within the kernels pass 65504, f16's largest value: the kernels accumulate in f32 and
# store f16 values that onnxruntime's float16 outputs match; f16 sums would be infinite.
half = Models(sys.argv[1] + '/half', 20261207)


def save_half(name, nodes, inputs, outputs, inits=(), opset=17, **meta):
    """`inputs`: (name, shape) of float16 inputs, or (name, shape, ONNX type); `meta`: index fields
    (`ranges` of the inputs' values, `shapes` at which to run free dimensions)."""
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info(i[0], i[2] if len(i) > 2 else TensorProto.FLOAT16, i[1])
                                            for i in inputs],
                              [helper.make_tensor_value_info(n, TensorProto.FLOAT16, None) for n in outputs],
                              [numpy_helper.from_array(v if v.dtype == np.int64 else v.astype(np.float16), k) for k, v in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)])
    model.ir_version = 8
    onnx.save(model, f'{half.out}/{name}.onnx')
    half.index[name] = {'inputs': [{'name': i[0], 'shape': i[1]} for i in inputs], **meta}


# Rows of 2048 values about 400 (sums about 800000), their means; rows of 512 values up to 400
# in magnitude normalized (sums of squares about 2.7e7).
save_half('half_reduce_mean_past_f16', [helper.make_node('Mul', ['x', 'scale'], ['s']), helper.make_node('Add', ['s', 'shift'], ['t']),
                                        helper.make_node('ReduceMean', ['t'], ['y'], axes=[1], keepdims=0)],
          [('x', [4, 2048])], ['y'], [('scale', np.array([300.0])), ('shift', np.array([400.0]))], opset=13)
save_half('half_layer_norm_past_f16', [helper.make_node('Mul', ['x', 'scale'], ['s']),
                                       helper.make_node('LayerNormalization', ['s', 'g', 'b'], ['y'], axis=-1)],
          [('x', [6, 512])], ['y'], [('scale', np.array([400.0])), ('g', half.weights(512)), ('b', half.weights(512))])
# Rows of 200000 in a log-softmax: exp(x - max) sums to about 86000. (Scaling a softmax's inputs
# instead would test little else than that onnxruntime rounds the product to f16 where WebDNN fuses
# it: past 512, 1 in 2048 of the value moves an exponential by 25%.)
save_half('half_log_softmax_past_f16', [helper.make_node('LogSoftmax', ['x'], ['y'], axis=1)], [('x', [2, 200000])], ['y'])
# An embedding lookup of a free number of token ids up to 29999 (f16 holds integers exactly only to
# 2048, and most ids past it would round to another row): the ids stay f32; the table is f16. With
# its free dimension kept, the page's generator makes the f16 program (at n = 40).
save_half('half_gather_free_ids', [helper.make_node('Gather', ['table', 'ids'], ['rows']), helper.make_node('Mul', ['rows', 'scale'], ['s']),
                                   helper.make_node('LayerNormalization', ['s', 'g', 'b'], ['y'], axis=-1)],
          [('ids', [1, 'n'], TensorProto.INT64)], ['y'],
          [('table', half.weights(30000, 16)), ('scale', np.array([500.0])), ('g', half.weights(16)), ('b', half.weights(16))],
          ranges={'ids': [0, 30000]}, shapes={'ids': [1, 40]})
half.write_index()
