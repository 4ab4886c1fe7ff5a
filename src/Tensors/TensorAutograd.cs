using static LiveStyle.Tensors.Native.TorchNative;

namespace LiveStyle.Tensors;

/// <summary>Autograd: gradients flow into tensors marked with <see cref="RequiresGrad"/>.</summary>
public sealed partial class Tensor
{
    public bool RequiresGrad
    {
        get => Checked(lst_requires_grad(Handle)) != 0;
        set => Check(lst_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>The accumulated gradient (a new handle the caller owns), or null before any backward pass.</summary>
    public Tensor? Grad
    {
        get
        {
            var h = lst_grad(Handle);
            if (h != IntPtr.Zero) return Own(h);
            return LastError() is { Length: > 0 } error ? throw new TorchException(error) : null;
        }
    }

    public void ZeroGrad() => Check(lst_zero_grad(Handle));

    public void Backward() => Check(lst_backward(Handle));
}
