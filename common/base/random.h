// Random: an injectable source of uniform numbers for jitter.
#pragma once

#include <mutex>
#include <random>

#include "absl/base/thread_annotations.h"

namespace subguard::base {

class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, 1).
  virtual double Uniform() = 0;
};

// A seeded Mersenne twister behind a mutex. Thread-safe.
class RealRandom final : public Random {
 public:
  RealRandom() : engine_(std::random_device{}()) {}
  explicit RealRandom(uint64_t seed) : engine_(seed) {}
  double Uniform() override {
    std::lock_guard lock(mu_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_ ABSL_GUARDED_BY(mu_);
};

// Returns value scaled by a factor uniform in [1 - fraction, 1 + fraction).
template <typename T>
T Jitter(T value, double fraction, Random& random) {
  return value * (1.0 - fraction + 2.0 * fraction * random.Uniform());
}

}  // namespace subguard::base
