/**
 * Images for image models: the {@link dev.nnsdk.image.Image} value type (built from pixels, so it works
 * on Android too), the {@link dev.nnsdk.image.ImageDecoder} plug-in that reads files on the JVM, and the
 * {@link dev.nnsdk.image.ImagePreprocessor} that applies a model's resize, crop, normalisation and layout.
 */
package dev.nnsdk.image;
