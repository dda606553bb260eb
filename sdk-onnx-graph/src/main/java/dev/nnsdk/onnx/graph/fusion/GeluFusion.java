package dev.nnsdk.onnx.graph.fusion;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;

import java.util.Arrays;
import java.util.Collections;

/**
 * The exact (erf) GELU written out as {@code Mul(Mul(y, Add(Erf(Div(y, sqrt 2)), 1)), 0.5)} into ONNX Runtime's
 * {@code BiasGelu(x, bias)} when {@code y} is a linear layer's output (its bias moves into the op), else {@code Gelu(y)}.
 * The tanh approximation (FastGelu) is not matched: MiniLM/BERT exports use erf.
 */
public final class GeluFusion implements Fusion {
    private static final double SQRT2 = Math.sqrt(2.0);

    @Override
    public String name() {
        return "BiasGelu";
    }

    @Override
    public int apply(OnnxGraph g) {
        int n = 0;
        for (NodeProto erf : g.nodes()) {
            if (erf.getOpType().equals("Erf") && fuse(g, erf)) {
                n++;
            }
        }
        if (n > 0) {
            g.requireOpset(OnnxGraph.MS_DOMAIN, 1);
            g.removeDeadNodes();
        }
        return n;
    }

    private static boolean near(double a, double b) {
        return Math.abs(a - b) < 1e-4 * Math.abs(b);
    }

    private static boolean fuse(OnnxGraph g, NodeProto erf) {
        NodeProto scale = g.producer(erf.getInput(0));
        if (scale == null || g.consumers(erf.getInput(0)).size() != 1) {
            return false;
        }
        double c = g.scalar(scale.getInput(1));
        boolean ok = scale.getOpType().equals("Div") && near(c, SQRT2)
                || scale.getOpType().equals("Mul") && near(c, 1 / SQRT2);
        String y = scale.getInput(0);
        NodeProto plusOne = g.soleConsumer(erf.getOutput(0), "Add");
        if (!ok || plusOne == null || g.scalar(OnnxGraph.other(plusOne, erf.getOutput(0))) != 1.0) {
            return false;
        }
        NodeProto mulY = g.soleConsumer(plusOne.getOutput(0), "Mul");
        if (mulY == null || !y.equals(OnnxGraph.other(mulY, plusOne.getOutput(0)))) {
            return false;
        }
        NodeProto half = g.soleConsumer(mulY.getOutput(0), "Mul");
        if (half == null || g.scalar(OnnxGraph.other(half, mulY.getOutput(0))) != 0.5) {
            return false;
        }
        if (g.consumers(y).size() != 2 || g.isGraphOutput(y)) {
            return false;
        }
        String out = half.getOutput(0);
        Linear lin = Linear.producing(g, y);
        NodeProto fused;
        if (lin != null) {
            fused = OnnxGraph.node("BiasGelu", g.fresh("BiasGelu"),
                    Arrays.asList(lin.matMul.getOutput(0), lin.bias.getName()), Collections.singletonList(out))
                    .setDomain(OnnxGraph.MS_DOMAIN).build();
        } else {
            fused = OnnxGraph.node("Gelu", g.fresh("Gelu"), Collections.singletonList(y), Collections.singletonList(out))
                    .setDomain(OnnxGraph.MS_DOMAIN).build();
        }
        g.remove(half);
        g.add(fused);
        return true;
    }
}
