package dev.nnsdk.onnx.graph.fusion;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;

/** {@code Add(bias, MatMul(x, W))} with constant 2-D {@code W} [in, out] and 1-D {@code bias} [out] (either Add order). */
final class Linear {
    final NodeProto matMul;
    final NodeProto add;
    final String input;
    final TensorProto weight;
    final TensorProto bias;

    private Linear(NodeProto matMul, NodeProto add, TensorProto weight, TensorProto bias) {
        this.matMul = matMul;
        this.add = add;
        this.input = matMul.getInput(0);
        this.weight = weight;
        this.bias = bias;
    }

    /** The linear layer whose Add produces {@code value}, or null. */
    static Linear producing(OnnxGraph g, String value) {
        NodeProto add = g.producer(value, "Add");
        if (add == null || add.getInputCount() != 2) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            TensorProto b = g.initializer(add.getInput(i));
            NodeProto mm = g.producer(add.getInput(1 - i), "MatMul");
            if (b == null || mm == null || b.getDimsCount() != 1 || b.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            TensorProto w = g.initializer(mm.getInput(1));
            if (w == null || w.getDimsCount() != 2 || w.getDims(1) != b.getDims(0)
                    || w.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            if (g.consumers(mm.getOutput(0)).size() != 1 || g.isGraphOutput(mm.getOutput(0))) {
                continue;
            }
            return new Linear(mm, add, w, b);
        }
        return null;
    }

    String output() {
        return add.getOutput(0);
    }
}
