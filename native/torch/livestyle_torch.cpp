// Thin C ABI over libtorch (ATen + autograd). Every function is a direct call into ATen:
// no model logic lives here. Errors never cross the boundary as C++ exceptions: a failing
// call returns null (or -1) and the message is kept per thread for lst_last_error().
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/cuda.h>

#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#define LST_API extern "C" __attribute__((visibility("default")))

using Handle = at::Tensor*;

namespace {
thread_local std::string last_error;

template <typename F>
Handle guarded(F&& f) {
  try {
    return new at::Tensor(f());
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown libtorch error";
  }
  return nullptr;
}

// Getters and setters that return a plain value: `fallback` (with the message kept) if libtorch throws.
template <typename T, typename F>
T guarded_value(T fallback, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown libtorch error";
  }
  return fallback;
}

template <typename F>
int guarded_status(F&& f) {
  try {
    f();
    return 0;
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown libtorch error";
  }
  return -1;
}

// Keep in sync with LiveStyle.Tensors.ScalarType.
at::ScalarType to_dtype(int code) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kHalf;
    case 3: return at::kBFloat16;
    case 4: return at::kByte;
    case 5: return at::kLong;
    case 6: return at::kInt;
    case 7: return at::kBool;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(code));
}

int from_dtype(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return 0;
    case at::kDouble: return 1;
    case at::kHalf: return 2;
    case at::kBFloat16: return 3;
    case at::kByte: return 4;
    case at::kLong: return 5;
    case at::kInt: return 6;
    case at::kBool: return 7;
    default: return -1;
  }
}

// Device code: -1 is the CPU, n >= 0 is CUDA device n.
at::Device to_device(int code) {
  return code < 0 ? at::Device(at::kCPU) : at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(code));
}

at::IntArrayRef dims(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

c10::optional<at::Tensor> optional(Handle h) {
  return h ? c10::optional<at::Tensor>(*h) : c10::nullopt;
}
}  // namespace

// ---- errors, runtime --------------------------------------------------------------------
LST_API const char* lst_last_error() { return last_error.c_str(); }
LST_API int lst_set_num_threads(int n) {
  return guarded_status([&] {
    if (n < 1) throw std::invalid_argument("thread count must be at least 1, not " + std::to_string(n));
    at::set_num_threads(n);
  });
}
LST_API int lst_get_num_threads() { return guarded_value(-1, [] { return at::get_num_threads(); }); }
LST_API int lst_cuda_device_count() {
  return guarded_value(0, [] { return static_cast<int>(torch::cuda::device_count()); });
}
// Seeds the CPU generator and, where CUDA is present, every CUDA generator (which can fail).
LST_API int lst_manual_seed(uint64_t seed) { return guarded_status([&] { at::manual_seed(seed); }); }
LST_API int lst_set_grad_enabled(int enabled) { return guarded_status([&] { c10::GradMode::set_enabled(enabled != 0); }); }
LST_API int lst_is_grad_enabled() { return guarded_value(-1, [] { return c10::GradMode::is_enabled() ? 1 : 0; }); }
LST_API int lst_synchronize(int device) {
  return guarded_status([&] { if (device >= 0) torch::cuda::synchronize(device); });
}
// cuDNN autotuning: the first forward pass at each input shape times the candidate algorithms.
LST_API int lst_set_cudnn_benchmark(int on) {
  return guarded_status([&] { at::globalContext().setBenchmarkCuDNN(on != 0); });
}

// ---- lifecycle and data movement ----------------------------------------------------------
LST_API void lst_free(Handle t) { delete t; }

LST_API Handle lst_from_host(const void* data, const int64_t* shape, int ndim, int dtype) {
  return guarded([&] {
    auto t = at::empty(dims(shape, ndim), at::TensorOptions().dtype(to_dtype(dtype)));
    std::memcpy(t.data_ptr(), data, t.nbytes());
    return t;
  });
}

LST_API Handle lst_empty(const int64_t* shape, int ndim, int dtype, int device, int pinned) {
  return guarded([&] {
    auto options = at::TensorOptions().dtype(to_dtype(dtype)).device(to_device(device)).pinned_memory(pinned != 0);
    return at::empty(dims(shape, ndim), options);
  });
}

LST_API Handle lst_full(const int64_t* shape, int ndim, double value, int dtype, int device) {
  return guarded([&] {
    return at::full(dims(shape, ndim), value, at::TensorOptions().dtype(to_dtype(dtype)).device(to_device(device)));
  });
}

LST_API Handle lst_rand(const int64_t* shape, int ndim, int dtype, int device) {
  return guarded([&] {
    return at::rand(dims(shape, ndim), at::TensorOptions().dtype(to_dtype(dtype)).device(to_device(device)));
  });
}

// Copies into caller memory of exactly nbytes; converts nothing (dtype must match the caller's view).
LST_API int lst_to_host(Handle t, void* dst, int64_t nbytes) {
  return guarded_status([&] {
    auto c = t->is_cpu() ? t->contiguous() : t->to(at::kCPU).contiguous();
    if (static_cast<int64_t>(c.nbytes()) != nbytes)
      throw std::invalid_argument("destination holds " + std::to_string(nbytes) + " bytes, tensor has " +
                                  std::to_string(c.nbytes()));
    std::memcpy(dst, c.data_ptr(), nbytes);
  });
}

// Fills an existing contiguous CPU tensor from caller memory (the reusable-buffer path).
LST_API int lst_from_host_into(Handle t, const void* src, int64_t nbytes) {
  return guarded_status([&] {
    if (!t->is_cpu() || !t->is_contiguous() || static_cast<int64_t>(t->nbytes()) != nbytes)
      throw std::invalid_argument("target must be a contiguous CPU tensor of the same byte size");
    std::memcpy(t->data_ptr(), src, nbytes);
  });
}

LST_API void* lst_data_ptr(Handle t) {
  return guarded_value<void*>(nullptr, [&] { return t->is_cpu() && t->is_contiguous() ? t->data_ptr() : nullptr; });
}
LST_API int lst_ndim(Handle t) { return guarded_value(-1, [&] { return static_cast<int>(t->dim()); }); }
// -1 (with the message kept) for a dimension the tensor does not have: at::Tensor::size throws.
LST_API int64_t lst_size(Handle t, int dim) { return guarded_value<int64_t>(-1, [&] { return t->size(dim); }); }
LST_API int lst_dtype(Handle t) { return guarded_value(-1, [&] { return from_dtype(t->scalar_type()); }); }
LST_API int lst_device(Handle t) { return guarded_value(-2, [&] { return t->is_cuda() ? static_cast<int>(t->get_device()) : -1; }); }
LST_API double lst_item(Handle t) { return guarded_value<double>(NAN, [&] { return t->item<double>(); }); }
// libtorch's name of dtype code `code` (c10::toString), null for an unknown code: a test compares it with
// LiveStyle.Tensors.ScalarType so both sides number the types alike.
LST_API const char* lst_dtype_name(int code) {
  return guarded_value<const char*>(nullptr, [&] { return c10::toString(to_dtype(code)); });
}
LST_API int64_t lst_dtype_size(int code) {
  return guarded_value<int64_t>(-1, [&] { return static_cast<int64_t>(c10::elementSize(to_dtype(code))); });
}

LST_API Handle lst_to(Handle t, int device, int dtype, int non_blocking) {
  return guarded([&] { return t->to(to_device(device), to_dtype(dtype), non_blocking != 0, false); });
}
LST_API int lst_copy_(Handle dst, Handle src, int non_blocking) {
  return guarded_status([&] { dst->copy_(*src, non_blocking != 0); });
}
LST_API Handle lst_contiguous(Handle t) { return guarded([&] { return t->contiguous(); }); }
// channels_last: NHWC strides for 4-D tensors (what cuDNN's tensor-core kernels read without a transpose).
LST_API Handle lst_contiguous_format(Handle t, int channels_last) {
  return guarded([&] {
    return t->contiguous(channels_last != 0 ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
  });
}
LST_API Handle lst_clone(Handle t) { return guarded([&] { return t->clone(); }); }
LST_API Handle lst_detach(Handle t) { return guarded([&] { return t->detach(); }); }
LST_API Handle lst_alias(Handle t) { return guarded([&] { return *t; }); }

// ---- autograd ---------------------------------------------------------------------------
LST_API int lst_set_requires_grad(Handle t, int on) { return guarded_status([&] { t->requires_grad_(on != 0); }); }
LST_API int lst_requires_grad(Handle t) { return guarded_value(-1, [&] { return t->requires_grad() ? 1 : 0; }); }
// Null both before any backward pass (no gradient; the error message is cleared) and on failure (kept).
LST_API Handle lst_grad(Handle t) {
  return guarded_value<Handle>(nullptr, [&]() -> Handle {
    const auto& grad = t->grad();
    if (grad.defined()) return new at::Tensor(grad);
    last_error.clear();
    return nullptr;
  });
}
LST_API int lst_zero_grad(Handle t) {
  return guarded_status([&] { if (t->grad().defined()) t->mutable_grad().reset(); });
}
LST_API int lst_backward(Handle t) { return guarded_status([&] { t->backward(); }); }

// ---- shape ------------------------------------------------------------------------------
LST_API Handle lst_reshape(Handle t, const int64_t* shape, int n) { return guarded([&] { return t->reshape(dims(shape, n)); }); }
LST_API Handle lst_permute(Handle t, const int64_t* order, int n) { return guarded([&] { return t->permute(dims(order, n)); }); }
LST_API Handle lst_narrow(Handle t, int dim, int64_t start, int64_t length) {
  return guarded([&] { return t->narrow(dim, start, length); });
}
LST_API Handle lst_cat(Handle* ts, int n, int dim) {
  return guarded([&] {
    std::vector<at::Tensor> list;
    for (int i = 0; i < n; ++i) list.push_back(*ts[i]);
    return at::cat(list, dim);
  });
}
LST_API Handle lst_index_select(Handle t, int dim, const int64_t* index, int n) {
  return guarded([&] {
    // Copy: autograd keeps the index for backward, and the caller's (managed) buffer may move.
    auto idx = at::from_blob(const_cast<int64_t*>(index), {n}, at::kLong).to(t->device(), at::kLong, false, true);
    return at::index_select(*t, dim, idx);
  });
}
LST_API Handle lst_pixel_shuffle(Handle t, int64_t factor) { return guarded([&] { return at::pixel_shuffle(*t, factor); }); }
LST_API Handle lst_pixel_unshuffle(Handle t, int64_t factor) { return guarded([&] { return at::pixel_unshuffle(*t, factor); }); }
LST_API Handle lst_flip(Handle t, const int64_t* d, int n) { return guarded([&] { return t->flip(dims(d, n)); }); }

// ---- elementwise ----------------------------------------------------------------------------
// The op codes of lst_unary, lst_binary and lst_scalar, in code order. They must match the C# enums
// UnaryOp, BinaryOp and ScalarOp name for name: a test compares both sides through lst_op_name.
namespace {
const char* const unary_ops[] = {"relu", "tanh", "sigmoid", "neg", "exp", "log", "sqrt", "abs", "square", "round"};
const char* const binary_ops[] = {"add", "sub", "mul", "div", "matmul", "maximum", "minimum"};
const char* const scalar_ops[] = {"add", "mul", "pow", "clampmin", "clampmax", "div", "sub", "rsub"};
}  // namespace

// The name of op `code` in table 0 (unary), 1 (binary) or 2 (scalar); null past the end.
LST_API const char* lst_op_name(int table, int code) {
  auto pick = [&](const auto& names) -> const char* {
    return code >= 0 && code < static_cast<int>(std::size(names)) ? names[code] : nullptr;
  };
  switch (table) {
    case 0: return pick(unary_ops);
    case 1: return pick(binary_ops);
    case 2: return pick(scalar_ops);
  }
  return nullptr;
}

LST_API Handle lst_unary(Handle t, int op) {
  return guarded([&]() -> at::Tensor {
    switch (op) {
      case 0: return at::relu(*t);
      case 1: return at::tanh(*t);
      case 2: return at::sigmoid(*t);
      case 3: return at::neg(*t);
      case 4: return at::exp(*t);
      case 5: return at::log(*t);
      case 6: return at::sqrt(*t);
      case 7: return at::abs(*t);
      case 8: return at::square(*t);
      case 9: return at::round(*t);
    }
    throw std::invalid_argument("unknown unary op");
  });
}

LST_API Handle lst_binary(Handle a, Handle b, int op) {
  return guarded([&]() -> at::Tensor {
    switch (op) {
      case 0: return at::add(*a, *b);
      case 1: return at::sub(*a, *b);
      case 2: return at::mul(*a, *b);
      case 3: return at::div(*a, *b);
      case 4: return at::matmul(*a, *b);
      case 5: return at::maximum(*a, *b);
      case 6: return at::minimum(*a, *b);
    }
    throw std::invalid_argument("unknown binary op");
  });
}

LST_API Handle lst_scalar(Handle t, double s, int op) {
  return guarded([&]() -> at::Tensor {
    switch (op) {
      case 0: return at::add(*t, s);
      case 1: return at::mul(*t, s);
      case 2: return at::pow(*t, s);
      case 3: return at::clamp_min(*t, s);
      case 4: return at::clamp_max(*t, s);
      case 5: return at::div(*t, s);
      case 6: return at::sub(*t, s);
      case 7: return at::add(at::neg(*t), s);  // s - t
    }
    throw std::invalid_argument("unknown scalar op");
  });
}

// In-place updates used by optimizers (run under no-grad by the caller).
LST_API int lst_add_(Handle t, Handle other, double alpha) { return guarded_status([&] { t->add_(*other, alpha); }); }
LST_API int lst_mul_scalar_(Handle t, double s) { return guarded_status([&] { t->mul_(s); }); }
LST_API int lst_addcmul_(Handle t, Handle a, Handle b, double value) { return guarded_status([&] { t->addcmul_(*a, *b, value); }); }
LST_API Handle lst_addcmul(Handle t, Handle a, Handle b, double value) { return guarded([&] { return at::addcmul(*t, *a, *b, value); }); }
LST_API int lst_addcdiv_(Handle t, Handle a, Handle b, double value) { return guarded_status([&] { t->addcdiv_(*a, *b, value); }); }

// ---- reductions -----------------------------------------------------------------------------
LST_API Handle lst_sum(Handle t, const int64_t* d, int n, int keepdim) {
  return guarded([&] { return n == 0 ? t->sum() : t->sum(dims(d, n), keepdim != 0); });
}
// dtype < 0 keeps the input's type; otherwise the sum is accumulated and returned in that type.
LST_API Handle lst_mean(Handle t, const int64_t* d, int n, int keepdim, int dtype) {
  return guarded([&] {
    auto as = dtype < 0 ? c10::optional<at::ScalarType>() : c10::optional<at::ScalarType>(to_dtype(dtype));
    return n == 0 ? t->mean(as) : t->mean(dims(d, n), keepdim != 0, as);
  });
}
// Population variance (or, with as_std, standard deviation) and mean in one pass (Welford, accumulated
// in float32 for reduced types).
LST_API int lst_var_mean(Handle t, const int64_t* d, int n, int keepdim, int as_std, Handle* spread_out, Handle* mean_out) {
  *spread_out = *mean_out = nullptr;
  return guarded_status([&] {
    auto [spread, mean] = as_std != 0 ? at::std_mean(*t, at::OptionalIntArrayRef(dims(d, n)), /*correction=*/0, keepdim != 0)
                                      : at::var_mean(*t, at::OptionalIntArrayRef(dims(d, n)), /*correction=*/0, keepdim != 0);
    *spread_out = new at::Tensor(spread);
    *mean_out = new at::Tensor(mean);
  });
}
LST_API Handle lst_max_all(Handle t) { return guarded([&] { return t->max(); }); }

// ---- neural network ops ---------------------------------------------------------------------
LST_API Handle lst_conv2d(Handle x, Handle w, Handle b, int64_t stride, int64_t pad_h, int64_t pad_w, int64_t groups) {
  return guarded([&] {
    return at::conv2d(*x, *w, optional(b), {stride, stride}, {pad_h, pad_w}, {1, 1}, groups);
  });
}

LST_API Handle lst_conv_transpose2d(Handle x, Handle w, Handle b, int64_t stride, int64_t pad, int64_t output_pad,
                                    int64_t groups) {
  return guarded([&] {
    return at::conv_transpose2d(*x, *w, optional(b), {stride, stride}, {pad, pad}, {output_pad, output_pad}, groups);
  });
}

LST_API Handle lst_instance_norm(Handle x, Handle weight, Handle bias, double eps) {
  return guarded([&] {
    return at::instance_norm(*x, optional(weight), optional(bias), c10::nullopt, c10::nullopt,
                             /*use_input_stats=*/true, /*momentum=*/0.0, eps, /*cudnn_enabled=*/true);
  });
}

// mode: 0 zeros, 1 reflect, 2 replicate. pads are left, right, top, bottom (as torch.nn.functional.pad).
LST_API Handle lst_pad2d(Handle x, int64_t left, int64_t right, int64_t top, int64_t bottom, int mode) {
  return guarded([&]() -> at::Tensor {
    std::vector<int64_t> p{left, right, top, bottom};
    switch (mode) {
      case 0: return at::constant_pad_nd(*x, p, 0.0);
      case 1: return at::reflection_pad2d(*x, p);
      case 2: return at::replication_pad2d(*x, p);
    }
    throw std::invalid_argument("unknown pad mode");
  });
}

LST_API Handle lst_upsample_nearest2d(Handle x, int64_t out_h, int64_t out_w) {
  return guarded([&] { return at::upsample_nearest2d(*x, {out_h, out_w}); });
}

LST_API Handle lst_upsample_bilinear2d(Handle x, int64_t out_h, int64_t out_w, int align_corners) {
  return guarded([&] { return at::upsample_bilinear2d(*x, {out_h, out_w}, align_corners != 0); });
}

LST_API Handle lst_avg_pool2d(Handle x, int64_t kernel, int64_t stride) {
  return guarded([&] { return at::avg_pool2d(*x, {kernel, kernel}, {stride, stride}); });
}

LST_API Handle lst_max_pool2d(Handle x, int64_t kernel, int64_t stride) {
  return guarded([&] { return at::max_pool2d(*x, {kernel, kernel}, {stride, stride}); });
}

LST_API Handle lst_mse_loss(Handle a, Handle b) { return guarded([&] { return at::mse_loss(*a, *b); }); }
