"""Per-op models: attention as exporters and onnxruntime's fusions write it (ONNX's Attention and
RotaryEmbedding of opset 23, com.microsoft's MultiHeadAttention, Attention, GroupQueryAttention,
RotaryEmbedding, EmbedLayerNormalization) and Einsum. Each is imported as a composition of IR
operators, so these put that composition through every backend against onnxruntime.

Integer inputs are drawn as floats and cast inside the graph; masks are comparisons of a drawn input.
onnxruntime's GroupQueryAttention needs head sizes that are multiples of 16.
"""
import numpy as np

from .builder import FLOAT, INT32, INT64, MS, model


def ints(m, name, shape, lo, hi, to=INT64):
    """An integer input drawn in [lo, hi)."""
    return m.node("Cast", [m.node("Floor", [m.input(name, shape, lo, hi)])], to=to)


def bool_mask(m, name, shape, keep=0.75):
    """A bool input, true with probability `keep`."""
    return m.node("Less", [m.input(name, shape, 0, 1), m.const(np.float32(keep))])


# The attention nodes of one model share their shapes ([1,2,3,8] queries over 5 keys), so that the
# GPU backends compile their products and softmax once (SwiftShader's WebGL takes a second each).
@model("op_Attention", 23, "Attention-23, queries [1,2,3,8] over 5 keys: 4-D with a float mask [3,5]; 3-D with 2 "
       "query heads over 1 key head, causal; past_key/past_value [1,2,3,8] with a bool mask, causal (aligned to the "
       "end of the past) and the present outputs; softcap 2 before a float bias, with the softmax output "
       "(qk_matmul_output_mode 3)")
def attention(m):
    q, k, v = m.input("q", [1, 2, 3, 8], -1, 1), m.input("k", [1, 2, 5, 8], -1, 1), m.input("v", [1, 2, 5, 8], -1, 1)
    m.output(m.node("Attention", [q, k, v, m.input("mask", [3, 5], -2, 0)]), "y", shape=[1, 2, 3, 8])
    q3, k3, v3 = m.input("q3", [1, 3, 16], -1, 1), m.input("k3", [1, 5, 8], -1, 1), m.input("v3", [1, 5, 8], -1, 1)
    y = m.node("Attention", [q3, k3, v3], q_num_heads=2, kv_num_heads=1, is_causal=1)
    m.output(y, "gqa_causal", shape=[1, 3, 16])
    kn, vn = m.input("k_new", [1, 2, 2, 8], -1, 1), m.input("v_new", [1, 2, 2, 8], -1, 1)
    pk, pv = m.input("pk", [1, 2, 3, 8], -1, 1), m.input("pv", [1, 2, 3, 8], -1, 1)
    y, present_k, present_v = m.node("Attention", [q, kn, vn, bool_mask(m, "bool_mask", [1, 1, 3, 5]), pk, pv],
                                     outputs=["past_y", "present_k", "present_v"], is_causal=1)
    m.output(y, "past_y", shape=[1, 2, 3, 8])
    m.output(present_k, "present_k", shape=[1, 2, 5, 8])
    m.output(present_v, "present_v", shape=[1, 2, 5, 8])
    # Scores up to 3 * 3 * 8 / sqrt(8): large enough to be capped.
    q, k = m.input("q_large", [1, 2, 3, 8], -3, 3), m.input("k_large", [1, 2, 5, 8], -3, 3)
    y, _, _, probs = m.node("Attention", [q, k, v, m.input("bias", [1, 2, 3, 5], -1, 0)],
                            outputs=["capped", "", "", "probs"], softcap=2.0, qk_matmul_output_mode=3)
    m.output(y, "capped", shape=[1, 2, 3, 8])
    m.output(probs, "probs", shape=[1, 2, 3, 5])


def caches(m, positions, half):
    return m.uniform([positions, half]), m.uniform([positions, half])


@model("op_RotaryEmbedding", 23, "RotaryEmbedding-23 of [2,3,16] (2 heads of 8) at position_ids from caches [10,4]; "
       "of [2,2,3,8], interleaved, the first 4 features rotated, cos and sin given per position (no position_ids)")
def rotary(m):
    cos, sin = caches(m, 10, 4)
    y = m.node("RotaryEmbedding", [m.input("x", [2, 3, 16], -1, 1), cos, sin, ints(m, "pos", [2, 3], 0, 10)],
               num_heads=2)
    m.output(y, "y", shape=[2, 3, 16])
    cos, sin = m.input("cos", [2, 3, 2], -1, 1), m.input("sin", [2, 3, 2], -1, 1)
    y = m.node("RotaryEmbedding", [m.input("x4", [2, 2, 3, 8], -1, 1), cos, sin], interleaved=1, rotary_embedding_dim=4)
    m.output(y, "interleaved", shape=[2, 2, 3, 8])


@model("op_ms_RotaryEmbedding", 17, "com.microsoft RotaryEmbedding: [2,3,16] at position_ids [2,3], and interleaved "
       "[2,2,3,8] from the scalar offset 3")
def ms_rotary(m):
    cos, sin = caches(m, 10, 4)
    y = m.node("RotaryEmbedding", [m.input("x", [2, 3, 16], -1, 1), ints(m, "pos", [2, 3], 0, 10), cos, sin],
               domain=MS, num_heads=2)
    m.output(y, "y", shape=[2, 3, 16])
    y4 = m.node("RotaryEmbedding", [m.input("x4", [2, 2, 3, 8], -1, 1), m.ints([3]), cos, sin], domain=MS,
                interleaved=1)
    m.output(y4, "y4", shape=[2, 2, 3, 8])


@model("op_ms_MultiHeadAttention", 17, "com.microsoft MultiHeadAttention, 2 heads, queries [2,3,16] over 5 keys: "
       "key and value [2,5,16] with a bias and a key padding mask [2,5]; keys and values [2,2,5,8] split already "
       "(cross attention); 2 new keys after a past [2,2,3,8], an attention bias, unidirectional, the present outputs")
def ms_mha(m):
    q, k, v = m.input("q", [2, 3, 16], -1, 1), m.input("k", [2, 5, 16], -1, 1), m.input("v", [2, 5, 16], -1, 1)
    mask = m.node("Cast", [bool_mask(m, "mask", [2, 5])], to=INT32)
    y = m.node("MultiHeadAttention", [q, k, v, m.uniform([48]), mask], domain=MS, num_heads=2)
    m.output(y, "y", shape=[2, 3, 16])
    k4, v4 = m.input("k4", [2, 2, 5, 8], -1, 1), m.input("v4", [2, 2, 5, 8], -1, 1)
    m.output(m.node("MultiHeadAttention", [q, k4, v4], domain=MS, num_heads=2), "cross", shape=[2, 3, 16])
    kn, vn = m.input("k_new", [2, 2, 16], -1, 1), m.input("v_new", [2, 2, 16], -1, 1)
    pk, pv = m.input("pk", [2, 2, 3, 8], -1, 1), m.input("pv", [2, 2, 3, 8], -1, 1)
    y, present_k, present_v = m.node("MultiHeadAttention", [q, kn, vn, "", "", m.input("bias", [1, 2, 3, 5], -1, 1),
                                                            pk, pv],
                                     outputs=["past_y", "present_k", "present_v"], domain=MS, num_heads=2,
                                     unidirectional=1)
    m.output(y, "past_y", shape=[2, 3, 16])
    m.output(present_k, "present_k", shape=[2, 2, 5, 8])
    m.output(present_v, "present_v", shape=[2, 2, 5, 8])


@model("op_ms_Attention", 17, "com.microsoft Attention: input [2,4,12] projected by weights [12,48] and a bias, "
       "2 heads, a raw mask [2,4], unidirectional; a past [2,2,2,3,8] with the present output and a mask of key "
       "lengths [2]")
def ms_attention(m):
    x = m.input("x", [2, 4, 12], -1, 1)
    mask = m.node("Cast", [bool_mask(m, "mask", [2, 4])], to=INT32)
    y = m.node("Attention", [x, m.uniform([12, 48]), m.uniform([48]), mask], domain=MS, num_heads=2, unidirectional=1)
    m.output(y, "y", shape=[2, 4, 16])
    y, present = m.node("Attention", [m.input("x2", [2, 2, 12], -1, 1), m.uniform([12, 48]), m.uniform([48]),
                                      m.const(np.array([5, 3], np.int32)), m.input("past", [2, 2, 2, 3, 8], -1, 1)],
                        outputs=["past_y", "present"], domain=MS, num_heads=2)
    m.output(y, "past_y", shape=[2, 2, 16])
    m.output(present, "present", shape=[2, 2, 2, 5, 8])


def gqa_inputs(m, b, s, n, kv, h=16):
    return m.input("q", [b, s, n * h], -1, 1), m.input("k", [b, s, kv * h], -1, 1), m.input("v", [b, s, kv * h], -1, 1)


@model("op_ms_GroupQueryAttention", 17, "com.microsoft GroupQueryAttention prompts of batch 2, 4 heads over 2 of "
       "size 16, right-padded: seqlens_k 3 and 1; packed query, key and value [2,4,128] with interleaved rotary, "
       "seqlens_k 3 and 2")
def ms_gqa(m):
    q, k, v = gqa_inputs(m, 2, 4, 4, 2)
    y, pk, pv = m.node("GroupQueryAttention", [q, k, v, "", "", m.const(np.array([3, 1], np.int32)),
                                               m.const(np.array(4, np.int32))],
                       outputs=["y", "present_k", "present_v"], domain=MS, num_heads=4, kv_num_heads=2)
    m.output(y, "y", shape=[2, 4, 64])
    m.output(pk, "present_k", shape=[2, 2, 4, 16])
    cos, sin = caches(m, 8, 8)
    y = m.node("GroupQueryAttention", [m.input("qkv", [2, 4, 128], -1, 1), "", "", "", "",
                                       m.const(np.array([3, 2], np.int32)), m.const(np.array(4, np.int32)), cos, sin],
               domain=MS, num_heads=4, kv_num_heads=2, do_rotary=1, rotary_interleaved=1)
    m.output(y, "packed", shape=[2, 4, 64])


def gqa_with_past(m, qkv, s, past, seqlens, total, names, extra=(), **attrs):
    """GroupQueryAttention (4 heads over 2 of 16) of `qkv` (S tokens) continuing key and value pasts of
    shape `past`; its output and presents become outputs `names`."""
    pk, pv = (m.input(names[i] + "_past", past, -1, 1) for i in (1, 2))
    outputs = m.node("GroupQueryAttention", [*qkv, pk, pv, m.const(np.array(seqlens, np.int32)),
                                             m.const(np.array(total, np.int32)), *extra],
                     outputs=list(names), domain=MS, num_heads=4, kv_num_heads=2, **attrs)
    present = [past[0], 2, max(past[2], total), 16]
    for value, name, shape in zip(outputs, names, [[past[0], s, 64], present, present]):
        m.output(value, name, shape=shape)


@model("op_ms_GroupQueryAttention_past_rotary", 17, "com.microsoft GroupQueryAttention continuing a past of 5 with "
       "2 tokens: rotary (caches [16,8]), local window 4, softcap 3, the present outputs")
def ms_gqa_past(m):
    gqa_with_past(m, gqa_inputs(m, 1, 2, 4, 2), 2, [1, 2, 5, 16], [6], 7, ["y", "present_k", "present_v"],
                  caches(m, 16, 8), do_rotary=1, local_window_size=4, softcap=3.0)


@model("op_ms_GroupQueryAttention_ragged_past", 17, "com.microsoft GroupQueryAttention decoding a token on a batch "
       "of 2 ragged pasts (seqlens_k 4 and 1: 4 and 1 past tokens of a past [2,2,4,16]), rotary; then on a past "
       "buffer of 8 holding 3 and 1 tokens (the present keeps the buffer's 8 positions). onnxruntime takes batches "
       "with a past only one token at a time")
def ms_gqa_ragged_past(m):
    qkv = gqa_inputs(m, 2, 1, 4, 2)
    gqa_with_past(m, qkv, 1, [2, 2, 4, 16], [4, 1], 5, ["y", "present_k", "present_v"], caches(m, 16, 8), do_rotary=1)
    gqa_with_past(m, qkv, 1, [2, 2, 8, 16], [3, 1], 4, ["y1", "buffer_k", "buffer_v"])


@model("op_ms_EmbedLayerNormalization", 17, "com.microsoft EmbedLayerNormalization: word, position and segment "
       "embeddings of int32 ids [2,5], with mask_index and the embedding sum")
def ms_embed_ln(m):
    ids, segments = ints(m, "ids", [2, 5], 0, 11, INT32), ints(m, "segments", [2, 5], 0, 2, INT32)
    mask = m.node("Cast", [bool_mask(m, "mask", [2, 5])], to=INT32)
    y, index, total = m.node("EmbedLayerNormalization",
                             [ids, segments, m.uniform([11, 8]), m.uniform([7, 8]), m.uniform([2, 8]),
                              m.uniform([8], 0.5, 1.5), m.uniform([8]), mask],
                             outputs=["y", "index", "sum"], domain=MS, epsilon=1e-5)
    m.output(y, "y", shape=[2, 5, 8])
    m.output(m.node("Cast", [index], to=FLOAT), "mask_index", shape=[2])
    m.output(total, "sum", shape=[2, 5, 8])


@model("op_Einsum", 12, "Einsum as exporters write it: bhid,bhjd->bhij; bij,bjk->bik; an implicit outer product "
       "i,j; ...ij,jk->...ik with a broadcast batch; ij,jk,kl->il; a sum bij->bj")
def einsum(m):
    a, b = m.input("a", [2, 2, 3, 4], -1, 1), m.input("b", [2, 2, 5, 4], -1, 1)
    m.output(m.node("Einsum", [a, b], equation="bhid,bhjd->bhij"), "attention", shape=[2, 2, 3, 5])
    x, y = m.input("x", [2, 3, 4], -1, 1), m.input("w", [2, 4, 5], -1, 1)
    m.output(m.node("Einsum", [x, y], equation="bij, bjk -> bik"), "batched", shape=[2, 3, 5])
    i, j = m.input("i", [3], -1, 1), m.input("j", [4], -1, 1)
    m.output(m.node("Einsum", [i, j], equation="i,j"), "outer", shape=[3, 4])
    e = m.input("e", [2, 1, 3, 4], -1, 1)
    f = m.input("f", [4, 5], -1, 1)
    m.output(m.node("Einsum", [e, f], equation="...ij,jk->...ik"), "ellipsis", shape=[2, 1, 3, 5])
    chain = [m.input("c1", [2, 3], -1, 1), m.input("c2", [3, 4], -1, 1), m.input("c3", [4, 2], -1, 1)]
    m.output(m.node("Einsum", chain, equation="ij,jk,kl->il"), "chain", shape=[2, 2])
    m.output(m.node("Einsum", [x], equation="bij->bj"), "sum", shape=[2, 4])
