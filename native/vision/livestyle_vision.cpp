// Thin C ABI over OpenCV image codecs and resizing. File I/O stays in C#: this only turns
// bytes into pixels and back. Pixels cross as 8-bit, interleaved, in OpenCV's order (BGR/BGRA).
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#define LSV_API extern "C" __attribute__((visibility("default")))

namespace {
thread_local std::string last_error;

template <typename F>
int guarded(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown OpenCV error";
  }
  return -1;
}
// libpng and libjpeg print their own complaints to stderr; the caller reports a clean error instead.
class QuietStderr {
 public:
  QuietStderr() : lock_(mutex_) {
    std::fflush(stderr);
    saved_ = dup(2);
    int null = open("/dev/null", O_WRONLY);
    if (saved_ >= 0 && null >= 0) dup2(null, 2);
    if (null >= 0) close(null);
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      dup2(saved_, 2);
      close(saved_);
    }
  }

 private:
  static std::mutex mutex_;
  std::lock_guard<std::mutex> lock_;
  int saved_;
};
std::mutex QuietStderr::mutex_;
}  // namespace

LSV_API const char* lsv_last_error() { return last_error.c_str(); }

// Decodes an encoded image; returns an owned cv::Mat (8-bit, 1/3/4 channels) or null.
LSV_API cv::Mat* lsv_decode(const uint8_t* data, int64_t length) {
  cv::Mat* result = nullptr;
  guarded([&] {
    cv::Mat raw(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t*>(data));
    cv::Mat img;
    {
      QuietStderr quiet;
      img = cv::imdecode(raw, cv::IMREAD_UNCHANGED);
    }
    if (img.empty()) {
      last_error = "not a decodable image";
      return -1;
    }
    if (img.depth() != CV_8U) {
      cv::Mat eight;
      double scale = img.depth() == CV_16U ? 1.0 / 257.0 : (img.depth() == CV_32F ? 255.0 : 1.0);
      img.convertTo(eight, CV_8U, scale);
      img = eight;
    }
    result = new cv::Mat(img);
    return 0;
  });
  return result;
}

LSV_API void lsv_mat_free(cv::Mat* m) { delete m; }
LSV_API int lsv_mat_width(const cv::Mat* m) { return m->cols; }
LSV_API int lsv_mat_height(const cv::Mat* m) { return m->rows; }
LSV_API int lsv_mat_channels(const cv::Mat* m) { return m->channels(); }

// Copies the pixels row by row into a tightly packed caller buffer of exactly nbytes.
LSV_API int lsv_mat_copy_to(const cv::Mat* m, uint8_t* dst, int64_t nbytes) {
  return guarded([&] {
    const size_t row = static_cast<size_t>(m->cols) * m->elemSize();
    if (static_cast<int64_t>(row * m->rows) != nbytes) {
      last_error = "destination size does not match the image";
      return -1;
    }
    for (int y = 0; y < m->rows; ++y) std::memcpy(dst + y * row, m->ptr(y), row);
    return 0;
  });
}

// Encodes packed 8-bit pixels (1, 3 or 4 channels, OpenCV order) as the format named by ext
// (".png", ".jpg", ".bmp", ".webp"). quality applies to JPEG and WebP (1..100).
LSV_API std::vector<uchar>* lsv_encode(const char* ext, const uint8_t* pixels, int width, int height, int channels,
                                       int quality) {
  std::vector<uchar>* result = nullptr;
  guarded([&] {
    cv::Mat img(height, width, CV_8UC(channels), const_cast<uint8_t*>(pixels));
    std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, quality, cv::IMWRITE_WEBP_QUALITY, quality};
    auto buffer = std::make_unique<std::vector<uchar>>();
    if (!cv::imencode(ext, img, *buffer, params)) {
      last_error = std::string("OpenCV could not encode ") + ext;
      return -1;
    }
    result = buffer.release();
    return 0;
  });
  return result;
}

LSV_API int64_t lsv_buffer_size(const std::vector<uchar>* b) { return static_cast<int64_t>(b->size()); }
LSV_API const uchar* lsv_buffer_data(const std::vector<uchar>* b) { return b->data(); }
LSV_API void lsv_buffer_free(std::vector<uchar>* b) { delete b; }

// Resizes packed 8-bit pixels; interpolation is OpenCV's code (1 linear, 3 area, 2 cubic).
LSV_API int lsv_resize(const uint8_t* src, int sw, int sh, uint8_t* dst, int dw, int dh, int channels,
                       int interpolation) {
  return guarded([&] {
    cv::Mat in(sh, sw, CV_8UC(channels), const_cast<uint8_t*>(src));
    cv::Mat out(dh, dw, CV_8UC(channels), dst);
    cv::resize(in, out, cv::Size(dw, dh), 0, 0, interpolation);
    return 0;
  });
}

// ---- capture: cameras (V4L2), files and network streams (FFmpeg backend) --------------------
struct Capture {
  cv::VideoCapture cap;
  cv::Mat frame;
};

// Opens /dev/video<index> through V4L2 with the requested mode (0 = leave as is); fourcc "MJPG" or "YUYV" or "".
LSV_API Capture* lsv_capture_open_device(int index, int width, int height, double fps, const char* fourcc) {
  Capture* result = nullptr;
  guarded([&] {
    auto c = std::make_unique<Capture>();
    if (!c->cap.open(index, cv::CAP_V4L2)) {
      last_error = "cannot open /dev/video" + std::to_string(index);
      return -1;
    }
    if (fourcc && std::strlen(fourcc) == 4)
      c->cap.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]));
    if (width > 0) c->cap.set(cv::CAP_PROP_FRAME_WIDTH, width);
    if (height > 0) c->cap.set(cv::CAP_PROP_FRAME_HEIGHT, height);
    if (fps > 0) c->cap.set(cv::CAP_PROP_FPS, fps);
    c->cap.set(cv::CAP_PROP_BUFFERSIZE, 1);
    result = c.release();
    return 0;
  });
  return result;
}

LSV_API Capture* lsv_capture_open_path(const char* path) {
  Capture* result = nullptr;
  guarded([&] {
    auto c = std::make_unique<Capture>();
    QuietStderr quiet;
    if (!c->cap.open(path, cv::CAP_FFMPEG)) {
      last_error = std::string("cannot open ") + path;
      return -1;
    }
    result = c.release();
    return 0;
  });
  return result;
}

// Grabs and decodes the next frame as BGR24. Returns 1 with a frame, 0 at the end or when the device is gone.
LSV_API int lsv_capture_read(Capture* c, int* width, int* height) {
  return guarded([&] {
    if (!c->cap.read(c->frame) || c->frame.empty()) return 0;
    if (c->frame.type() != CV_8UC3) {
      cv::Mat bgr;
      if (c->frame.channels() == 1) cv::cvtColor(c->frame, bgr, cv::COLOR_GRAY2BGR);
      else if (c->frame.channels() == 4) cv::cvtColor(c->frame, bgr, cv::COLOR_BGRA2BGR);
      else c->frame.convertTo(bgr, CV_8UC3);
      c->frame = bgr;
    }
    *width = c->frame.cols;
    *height = c->frame.rows;
    return 1;
  });
}

// Copies the last frame, resized to width x height when that differs (area when shrinking, linear when enlarging).
LSV_API int lsv_capture_copy(Capture* c, uint8_t* dst, int width, int height) {
  return guarded([&] {
    cv::Mat out(height, width, CV_8UC3, dst);
    if (c->frame.cols == width && c->frame.rows == height) c->frame.copyTo(out);
    else cv::resize(c->frame, out, cv::Size(width, height), 0, 0, width < c->frame.cols ? cv::INTER_AREA : cv::INTER_LINEAR);
    return 0;
  });
}

LSV_API double lsv_capture_get(Capture* c, int property) { return c->cap.get(property); }
LSV_API void lsv_capture_release(Capture* c) { delete c; }
