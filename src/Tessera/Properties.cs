// Stack scratch buffers in the pipeline are written before they are read; zeroing them first
// would cost time on every token for nothing.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
