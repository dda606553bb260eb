package dev.nnsdk.onnx.graph.fusion;

import dev.nnsdk.onnx.graph.ir.OnnxGraph;
import dev.nnsdk.onnx.graph.proto.OnnxProto.NodeProto;
import dev.nnsdk.onnx.graph.proto.OnnxProto.TensorProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A residual Add followed by layer normalisation written out in primitives
 * ({@code ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul gamma, Add beta}, over the last axis) into
 * ONNX Runtime's {@code SkipLayerNormalization(input, skip, gamma, beta[, bias])}. When the residual branch ends in a
 * linear layer, its bias moves into the op. The second Add operand is the skip, which may broadcast over the batch
 * (the position embeddings, shape [1, S, H]).
 */
public final class SkipLayerNormFusion implements Fusion {
    @Override
    public String name() {
        return "SkipLayerNormalization";
    }

    @Override
    public int apply(OnnxGraph g) {
        int n = 0;
        for (NodeProto mean : g.nodes()) {
            if (mean.getOpType().equals("ReduceMean") && fuse(g, mean)) {
                n++;
            }
        }
        if (n > 0) {
            g.requireOpset(OnnxGraph.MS_DOMAIN, 1);
            g.removeDeadNodes();
        }
        return n;
    }

    private static boolean lastAxis(NodeProto reduce) {
        List<Long> axes = OnnxGraph.attrInts(reduce, "axes");
        return axes != null && axes.size() == 1 && axes.get(0) == -1 && OnnxGraph.attrInt(reduce, "keepdims", 1) == 1;
    }

    private static boolean fuse(OnnxGraph g, NodeProto mean) {
        if (!lastAxis(mean) || mean.getInputCount() != 1) {
            return false;
        }
        String x = mean.getInput(0);
        NodeProto residual = g.producer(x, "Add");
        if (residual == null || g.isGraphOutput(x) || g.consumers(x).size() != 2) {
            return false;
        }
        NodeProto sub = null;
        for (NodeProto c : g.consumers(x)) {
            if (c.getOpType().equals("Sub") && c.getInput(0).equals(x) && c.getInput(1).equals(mean.getOutput(0))) {
                sub = c;
            }
        }
        if (sub == null || g.consumers(mean.getOutput(0)).size() != 1) {
            return false;
        }
        String d = sub.getOutput(0);
        NodeProto pow = null;
        NodeProto div = null;
        for (NodeProto c : g.consumers(d)) {
            if (c.getOpType().equals("Pow") && c.getInput(0).equals(d) && g.scalar(c.getInput(1)) == 2.0) {
                pow = c;
            } else if (c.getOpType().equals("Div") && c.getInput(0).equals(d)) {
                div = c;
            }
        }
        if (pow == null || div == null || g.consumers(d).size() != 2) {
            return false;
        }
        NodeProto var = g.soleConsumer(pow.getOutput(0), "ReduceMean");
        if (var == null || !lastAxis(var)) {
            return false;
        }
        NodeProto addEps = g.soleConsumer(var.getOutput(0), "Add");
        double eps = addEps == null ? Double.NaN : g.scalar(OnnxGraph.other(addEps, var.getOutput(0)));
        NodeProto sqrt = addEps == null ? null : g.soleConsumer(addEps.getOutput(0), "Sqrt");
        if (Double.isNaN(eps) || sqrt == null || !div.getInput(1).equals(sqrt.getOutput(0))) {
            return false;
        }
        NodeProto mulGamma = g.soleConsumer(div.getOutput(0), "Mul");
        String gamma = mulGamma == null ? null : OnnxGraph.other(mulGamma, div.getOutput(0));
        NodeProto addBeta = mulGamma == null ? null : g.soleConsumer(mulGamma.getOutput(0), "Add");
        String beta = addBeta == null ? null : OnnxGraph.other(addBeta, mulGamma.getOutput(0));
        if (!vector(g, gamma) || !vector(g, beta)) {
            return false;
        }
        String input = residual.getInput(0);
        String skip = residual.getInput(1);
        if (g.constant(input) != null || g.constant(skip) != null) {
            return false;
        }
        String bias = null;
        Linear lin = Linear.producing(g, input);
        if (lin == null) {
            lin = Linear.producing(g, skip);
            if (lin != null) {
                skip = input;
            }
        }
        if (lin != null && g.consumers(lin.output()).size() == 1 && !g.isGraphOutput(lin.output())) {
            input = lin.matMul.getOutput(0);
            bias = lin.bias.getName();
        } else if (lin != null) {
            input = lin.output();
        }
        List<String> inputs = new ArrayList<String>();
        inputs.add(input);
        inputs.add(skip);
        inputs.add(gamma);
        inputs.add(beta);
        if (bias != null) {
            inputs.add(bias);
        }
        g.remove(addBeta);
        g.add(OnnxGraph.node("SkipLayerNormalization", g.fresh("SkipLayerNorm"), inputs,
                Collections.singletonList(addBeta.getOutput(0))).setDomain(OnnxGraph.MS_DOMAIN)
                .addAttribute(OnnxGraph.floatAttr("epsilon", (float) eps)).build());
        return true;
    }

    private static boolean vector(OnnxGraph g, String name) {
        TensorProto t = name == null ? null : g.initializer(name);
        return t != null && t.getDimsCount() == 1 && t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
    }
}
