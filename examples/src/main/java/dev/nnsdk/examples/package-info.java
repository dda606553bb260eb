/**
 * Runnable example programs: text and image fine-tuning, movie recommendations. Each is a complete {@code main} that uses only the public API.
 */
package dev.nnsdk.examples;
