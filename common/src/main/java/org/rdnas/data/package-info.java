/**
 * Image data for search and proxies: CIFAR-10 binary batches read through the Hadoop FileSystem
 * API, a learnable synthetic stand-in of the same shape, and seeded, recomputable batch assembly
 * (torchvision's pad-crop-flip then per-channel normalisation) into NCHW float arrays or DJL NDArrays.
 */
package org.rdnas.data;
