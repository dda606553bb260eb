/**
 * The model zoo and the user-model resolver: zoo ids and model directories to {@link dev.nnsdk.repository.ModelDescriptor}s (catalog, {@code model.json}, conventional layouts), the checksum-verified artifact cache, archive extraction, opt-in remote artifacts, the Hugging Face tokenizer and the javax.imageio image decoder plug-ins.
 */
package dev.nnsdk.zoo;
