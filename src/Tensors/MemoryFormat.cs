namespace LiveStyle.Tensors;

/// <summary>How a 4-D tensor's elements are laid out: NCHW (row-major) or NHWC (torch.channels_last).</summary>
public enum MemoryFormat { Contiguous, ChannelsLast }
