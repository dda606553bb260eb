package dev.nnsdk.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OmpWaitPolicyTest {

    interface Getenv extends Library {
        String getenv(String name);
    }

    @Test
    void libtorchsOpenMpSeesPassiveUnlessTheUserChoseOtherwise() {
        new DjlEngine();   // its static initialiser applies the policy before libtorch loads
        String user = System.getenv(OmpWaitPolicy.VARIABLE);
        String expected = user != null ? user : "PASSIVE";
        assertEquals(expected, OmpWaitPolicy.apply());
        // What native code (GNU OpenMP inside libtorch) reads: the C environment, not the JVM's copy.
        assertEquals(expected, Native.load("c", Getenv.class).getenv(OmpWaitPolicy.VARIABLE));
    }
}
