"""Per-op models whose output size the input values decide: NonZero (opsets 9, 13) and
NonMaxSuppression (10, 11), alone and with the gathers a detector puts after them, including a
selection that finds nothing and one whose capacity follows a free dimension.

Scores are drawn at run time from a continuous range, so two of them are equal with probability
zero: onnxruntime leaves the order of equal scores to its heap.
"""
import numpy as np

from .builder import INT64, model


@model("op_NonZero", 13, "NonZero of a Relu (about half the elements zero), and the values it selects through GatherND")
def non_zero(m):
    x = m.node("Relu", [m.input("x", [3, 4, 5], -1, 1)])
    indices = m.node("NonZero", [x])
    m.output(indices, "indices", INT64)
    m.output(m.node("GatherND", [x, m.node("Transpose", [indices], perm=[1, 0])]), "selected")


@model("op_NonZero_9_int", 9, "NonZero-9 of an int64 tensor made by Cast (rank 2), then Cast back to float")
def non_zero_9(m):
    x = m.node("Cast", [m.node("Floor", [m.input("x", [6, 7], -1.5, 1.5)])], to=7)
    m.output(m.node("Cast", [m.node("NonZero", [x])], to=1), "indices")


@model("op_NonZero_input", 13, "NonZero of an int64 model input (a third of it zero), transposed: nothing comes "
       "before it, so the GPU backends' wasm tail is the whole model")
def non_zero_input(m):
    indices = m.node("NonZero", [m.input("x", [5, 6], -1.5, 1.5, dtype=INT64)])
    m.output(m.node("Transpose", [indices], perm=[1, 0]), "positions", INT64)


@model("op_NonZero_constant", 13, "NonZero of a constant mask (5 of 12 set), cast and scaled by the input: the "
       "converter computes it, so no size is left to find at run time")
def non_zero_constant(m):
    mask = np.array([[0, 1, 0, 0], [2, 0, 0, 3], [0, 0, 4, 5]], dtype=np.float32)
    indices = m.node("Cast", [m.node("NonZero", [m.const(mask)])], to=1)
    m.output(m.node("Mul", [indices, m.input("x", [2, 5], -1, 1)]), "scaled")


def squeeze(m, x, axis):
    return m.node("Squeeze", [x], axes=[axis])  # opsets before 13: axes as an attribute


def nms_inputs(m, batches, boxes, classes):
    b = m.input("boxes", [batches, boxes, 4], 0, 1)
    return b, m.input("scores", [batches, classes, boxes], 0, 1)


@model("op_NonMaxSuppression", 11, "NonMaxSuppression of corner boxes, 2 classes, iou 0.3, score threshold 0.2, "
       "at most 5 per class; the kept boxes and scores gathered as a detector's tail does")
def nms(m):
    boxes, scores = nms_inputs(m, 1, 12, 2)
    selected = m.node("NonMaxSuppression", [boxes, scores, m.ints([5]), m.const(np.array([0.3], np.float32)),
                                            m.const(np.array([0.2], np.float32))])
    m.output(selected, "selected", INT64, shape=[None, 3])
    box_index = m.node("Gather", [selected, m.ints([2])], axis=1)
    kept = m.node("Gather", [squeeze(m, boxes, 0), squeeze(m, box_index, 1)])
    m.output(kept, "kept_boxes", shape=[None, 4])
    m.output(m.node("GatherND", [scores, selected]), "kept_scores", shape=[None])


@model("op_NonMaxSuppression_center", 10, "NonMaxSuppression-10 of center boxes, 2 batches and 3 classes, iou 0.2, "
       "no score threshold, at most every box")
def nms_center(m):
    boxes, scores = nms_inputs(m, 2, 9, 3)
    half = m.node("Mul", [boxes, m.const(np.array([1, 1, 0.5, 0.5], np.float32))])  # smaller boxes overlap less
    selected = m.node("NonMaxSuppression", [half, scores, m.ints([9]), m.const(np.float32(0.2))], center_point_box=1)
    m.output(selected, "selected", INT64, shape=[None, 3])


@model("op_NonMaxSuppression_none", 11, "NonMaxSuppression whose score threshold no score passes: nothing selected, "
       "and the boxes gathered from nothing")
def nms_none(m):
    boxes, scores = nms_inputs(m, 1, 6, 1)
    selected = m.node("NonMaxSuppression", [boxes, scores, m.ints([3]), m.const(np.float32(0.5)),
                                            m.const(np.float32(1.5))])
    m.output(selected, "selected", INT64, shape=[None, 3])
    box_index = squeeze(m, m.node("Gather", [selected, m.ints([2])], axis=1), 1)
    m.output(m.node("Gather", [squeeze(m, boxes, 0), box_index]), "kept_boxes", shape=[None, 4])


@model("op_NonMaxSuppression_free_boxes", 11, "NonMaxSuppression over a free number of boxes (capacity "
       "min(3, boxes) per class), the kept boxes scaled")
def nms_free(m):
    m.at = {"boxes": 7}
    boxes = m.input("boxes", [1, "boxes", 4], 0, 1)
    scores = m.input("scores", [1, 2, "boxes"], 0, 1)
    selected = m.node("NonMaxSuppression", [boxes, scores, m.ints([3]), m.const(np.float32(0.4))])
    box_index = squeeze(m, m.node("Gather", [selected, m.ints([2])], axis=1), 1)
    kept = m.node("Gather", [squeeze(m, boxes, 0), box_index])
    m.output(m.node("Mul", [kept, m.const(np.float32(100))]), "kept_boxes", shape=[None, 4])
    m.output(selected, "selected", INT64, shape=[None, 3])


@model("op_NonMaxSuppression_detector", 11, "a small detector: a convolution backbone, box and class heads over 64 "
       "anchors, NonMaxSuppression (iou 0.3, scores above 0.55, at most 12 per class), and the kept boxes, scores "
       "and classes gathered")
def detector(m):
    x = m.input("image", [1, 3, 16, 16], 0, 1)
    features = m.node("Relu", [m.node("Conv", [x, m.uniform([8, 3, 3, 3], -0.5, 0.5), m.uniform([8], -0.1, 0.1)],
                                      strides=[2, 2], pads=[1, 1, 1, 1])])

    def head(channels):
        y = m.node("Conv", [features, m.uniform([channels, 8, 1, 1], -1, 1), m.uniform([channels], -0.5, 0.5)])
        return m.node("Sigmoid", [m.node("Reshape", [y, m.ints([1, channels, 64])])])

    boxes = m.node("Transpose", [head(4)], perm=[0, 2, 1])  # [1, 64, 4]: two corners in [0, 1]
    scores = head(3)  # [1, 3, 64]
    selected = m.node("NonMaxSuppression", [boxes, scores, m.ints([12]), m.const(np.float32(0.3)),
                                            m.const(np.float32(0.55))])
    box_index = squeeze(m, m.node("Gather", [selected, m.ints([2])], axis=1), 1)
    m.output(m.node("Gather", [squeeze(m, boxes, 0), box_index]), "boxes", shape=[None, 4])
    m.output(m.node("GatherND", [scores, selected]), "scores", shape=[None])
    classes = squeeze(m, m.node("Gather", [selected, m.ints([1])], axis=1), 1)
    m.output(classes, "classes", INT64, shape=[None])
