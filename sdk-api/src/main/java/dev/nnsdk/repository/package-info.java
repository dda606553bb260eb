/**
 * Models by id or path: {@link dev.nnsdk.repository.ModelRepository} resolves them into
 * {@link dev.nnsdk.repository.ModelDescriptor}s through pluggable
 * {@link dev.nnsdk.repository.ModelResolver}s (the {@code model-zoo} module provides the default).
 */
package dev.nnsdk.repository;
