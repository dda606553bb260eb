import dev.nnsdk.*; import dev.nnsdk.image.*; import dev.nnsdk.inference.*; import java.nio.file.*; import java.util.*;
/** In-process phase timings for docs/benchmarks-images.md: java -cp "sdk-cli/target/sdk-cli.jar:sdk-cli/target/lib/*" tools/bench/ImageBench.java DIR */
public class ImageBench { public static void main(String[] a) throws Exception {
  List<Path> files = new ArrayList<>(); try (var s = Files.list(Path.of(a[0]))) { s.sorted().forEach(files::add); }
  ImageDecoder dec = ImageDecoder.get();
  try (ImageClassifier clf = ImageClassifier.load("mobilenet-v2-nsfw", ModelOptions.builder().optEngine("onnx").optBatchSize(16).build())) {
    clf.classifyAll(List.of(dec.decode(files.get(0))), 5); // warm-up
    for (int rep = 0; rep < 2; rep++) {
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long c0 = os.getProcessCpuTime(); long t0 = System.nanoTime(); List<Image> ims = new ArrayList<>(); for (Path p : files) ims.add(dec.decode(p));
      long t1 = System.nanoTime(); long c1 = os.getProcessCpuTime(); ImagePreprocessor pre = new ImagePreprocessor(clf.descriptor().image()); for (Image im : ims) pre.apply(im);
      long t2 = System.nanoTime(); long c2 = os.getProcessCpuTime(); clf.classifyAll(ims, 5);
      long t3 = System.nanoTime(); long c3 = os.getProcessCpuTime();
      System.out.printf("CPU time: decode %.1f ms/img, preprocess %.2f ms/img, classify %.1f ms/img%n", (c1-c0)/1e6/files.size(), (c2-c1)/1e6/files.size(), (c3-c2)/1e6/files.size());
      System.out.printf("decode %.1f ms/img, preprocess %.2f ms/img, classify (preprocess+inference) %.1f ms/img -> %.1f img/s in-process%n",
        (t1-t0)/1e6/files.size(), (t2-t1)/1e6/files.size(), (t3-t2)/1e6/files.size(), files.size()/((t3-t2+t1-t0)/1e9));
    }
  }
}}
