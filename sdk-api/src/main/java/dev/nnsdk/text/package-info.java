/** Tokenisation contract: {@link dev.nnsdk.text.Tokenizer} and its {@link dev.nnsdk.text.TokenizerFactory} SPI. */
package dev.nnsdk.text;
