// Replaced as the layer is written.
