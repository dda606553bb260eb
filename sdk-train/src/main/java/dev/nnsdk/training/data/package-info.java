/**
 * Training data sets and their readers: text (JSON Lines, CSV), images (class folders, MNIST IDX), augmentation, stratified splits.
 */
package dev.nnsdk.training.data;
