package dev.nnsdk.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerJsonHintsTest {

    @TempDir
    Path dir;

    private TokenizerJsonHints hints(String json) throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.write(f, json.getBytes(StandardCharsets.UTF_8));
        return TokenizerJsonHints.read(f);
    }

    @Test
    void theMiniLmTokenizerIsWordPieceWithPairsAndAgreesWithAFullParse() throws IOException {
        Path f = ArtifactCache.extract(HfTokenizerTest.TOKENIZER, HfTokenizerTest.TOKENIZER_SHA);
        TokenizerJsonHints h = TokenizerJsonHints.read(f);
        JsonNode tree = new ObjectMapper().readTree(f.toFile());
        assertEquals(tree.path("model").path("continuing_subword_prefix").asText(), h.subwordPrefix());
        assertEquals("##", h.subwordPrefix());
        assertTrue(tree.path("post_processor").has("pair"));
        assertTrue(h.pairs());
    }

    @Test
    void fieldsAfterTheVocabularyAndNestedObjectsAreFound() throws IOException {
        TokenizerJsonHints h = hints("{\"version\":\"1.0\",\"added_tokens\":[{\"id\":0,\"content\":\"[PAD]\"}],"
                + "\"model\":{\"vocab\":{\"[PAD]\":0,\"type\":1,\"##a\":2},\"unk_token\":\"[UNK]\",\"type\":\"WordPiece\","
                + "\"continuing_subword_prefix\":\"@@\"},"
                + "\"post_processor\":{\"single\":[{\"type\":\"x\"}],\"pair\":[],\"type\":\"TemplateProcessing\"}}");
        assertEquals("@@", h.subwordPrefix());
        assertTrue(h.pairs());
    }

    @Test
    void aWordPieceModelWithoutAPrefixUsesTheHashes() throws IOException {
        assertEquals("##", hints("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{}},\"post_processor\":null}").subwordPrefix());
    }

    @Test
    void bpeHasNoSubwordPrefix() throws IOException {
        assertNull(hints("{\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[\"a b\"]}}").subwordPrefix());
    }

    @Test
    void pairsNeedAPostProcessorAndATemplateForThem() throws IOException {
        assertFalse(hints("{\"model\":{\"type\":\"BPE\"}}").pairs(), "no post-processor");
        assertFalse(hints("{\"model\":{\"type\":\"BPE\"},\"post_processor\":null}").pairs(), "null post-processor");
        assertFalse(hints("{\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[]}}").pairs(),
                "template without pair");
        assertTrue(hints("{\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",102]}}").pairs());
        assertTrue(hints("{\"post_processor\":{\"type\":\"Sequence\",\"processors\":[{\"type\":\"ByteLevel\"}]}}").pairs());
    }

    @Test
    void readingStopsOnceBothAreKnownInHuggingFacesOrder() throws IOException {
        // post_processor, then model.type and the prefix, then the vocabulary: nothing after the prefix is read, so even
        // a vocabulary cut short (never the case for a file the native tokenizer loaded) does not matter
        TokenizerJsonHints h = hints("{\"post_processor\":{\"type\":\"TemplateProcessing\",\"pair\":[]},"
                + "\"model\":{\"type\":\"WordPiece\",\"continuing_subword_prefix\":\"##\",\"vocab\":{\"a\":0,");
        assertEquals("##", h.subwordPrefix());
        assertTrue(h.pairs());
    }

    @Test
    void aFileInAnotherOrderIsReadToItsEnd() throws IOException {
        TokenizerJsonHints h = hints("{\"model\":{\"vocab\":{\"a\":0},\"type\":\"WordPiece\",\"continuing_subword_prefix\":\"~~\"},"
                + "\"decoder\":null,\"post_processor\":{\"type\":\"TemplateProcessing\",\"single\":[]}}");
        assertEquals("~~", h.subwordPrefix());
        assertFalse(h.pairs(), "the post-processor after the model was read");
    }

    @Test
    void somethingThatIsNotAnObjectIsAnIoError() {
        assertThrows(IOException.class, () -> hints("[1, 2]"));
        assertThrows(IOException.class, () -> hints("{\"model\": {\"type\": "));
    }
}
