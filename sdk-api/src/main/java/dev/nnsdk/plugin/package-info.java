/**
 * Plug-in discovery: one {@link java.util.ServiceLoader} lookup ({@link dev.nnsdk.plugin.Plugins}) that every
 * plug-in registry of the SDK (engines, model resolvers, tokenizers, image decoders) is built on.
 */
package dev.nnsdk.plugin;
