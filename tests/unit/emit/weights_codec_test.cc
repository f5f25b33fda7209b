// Compact weights (runtime/core/weights_codec.h, src/emit/compress_weights.h): the codings against
// hand-computed values, the in-place expansion against a plain one, the wasm Conv's load-time
// packing against the converter's, and the loader's checks of what a stranger's descriptor says.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "backends/wasm/kernels/conv_pack.h"
#include "backends/wasm/kernels/gemm.h"
#include "backends/wasm/kernels/integer_gemm.h"
#include "runtime/core/weights_codec.h"
#include "src/emit/compress_weights.h"
#include "webdnn/error.h"

namespace webdnn {
namespace {

using runtime::WeightCoding;

std::vector<float> round_trip(WeightCoding c, const std::vector<float>& x) {
  std::vector<uint8_t> coded(static_cast<size_t>(runtime::coded_bytes(c, static_cast<int64_t>(x.size()))));
  runtime::encode_weights(c, x.data(), static_cast<int64_t>(x.size()), coded.data());
  std::vector<float> y(x.size());
  runtime::decode_weights(c, coded.data(), static_cast<int64_t>(x.size()), y.data());
  return y;
}

// What a backend hands code_weights: the builder's bytes and its ranges.
emit::BackendOutput output_of(emit::WeightsBuilder b) {
  emit::BackendOutput out;
  out.derived = b.derived_ranges();
  out.float_ranges = b.float_ranges();
  out.weights = b.take();
  return out;
}

TEST(WeightsCodec, SizesAreWholeBlocks) {
  EXPECT_EQ(runtime::coded_bytes(WeightCoding::Float16, 10), 20);
  EXPECT_EQ(runtime::coded_bytes(WeightCoding::Int8, 128), 2 * (4 + 64));
  EXPECT_EQ(runtime::coded_bytes(WeightCoding::Int4, 64), 2 * (2 + 16));
  std::vector<float> x(65);
  std::vector<uint8_t> out(200);
  EXPECT_THROW(runtime::encode_weights(WeightCoding::Int8, x.data(), 65, out.data()), Error);
}

TEST(WeightsCodec, Int8BlockScalesItsLargestValueTo127) {
  // Block 0: 0, 0.5, ..., 31.5: scale 31.5 / 127; 10.0 is q = round(10 * 127 / 31.5) = 40, so it
  // decodes to 40 * 31.5 / 127 = 9.92126. Block 1: all -2: q = -127 each, exact.
  std::vector<float> x(128, -2.0f);
  for (int i = 0; i < 64; i++) x[i] = 0.5f * i;
  std::vector<float> y = round_trip(WeightCoding::Int8, x);
  EXPECT_FLOAT_EQ(y[20], 40 * (31.5f / 127));
  EXPECT_FLOAT_EQ(y[63], 31.5f);
  EXPECT_FLOAT_EQ(y[0], 0.0f);
  for (int i = 64; i < 128; i++) EXPECT_FLOAT_EQ(y[i], -2.0f);
  for (int i = 0; i < 64; i++) EXPECT_LE(std::fabs(y[i] - x[i]), 0.5f * 31.5f / 127 + 1e-6f);
}

TEST(WeightsCodec, Int4BlockHoldsSevenStepsEachSideInAFloat16Scale) {
  // -7/7 .. 7/7 of 3.5: scale 0.5 (exact in float16), q = -7 .. 7, each exact.
  std::vector<float> x(32);
  for (int i = 0; i < 32; i++) x[i] = 0.5f * static_cast<float>(i % 15 - 7);
  std::vector<float> y = round_trip(WeightCoding::Int4, x);
  for (int i = 0; i < 32; i++) EXPECT_FLOAT_EQ(y[i], x[i]) << i;
  // 1.3 of max 3.5: q = round(1.3 / 0.5) = 3 -> 1.5; -0.2: q = 0 -> 0.
  x[0] = 1.3f;
  x[1] = -0.2f;
  y = round_trip(WeightCoding::Int4, x);
  EXPECT_FLOAT_EQ(y[0], 1.5f);
  EXPECT_FLOAT_EQ(y[1], 0.0f);
}

TEST(WeightsCodec, Float16IsExactForHalfValues) {
  std::vector<float> x = {0.0f, -1.5f, 65504.0f, 0.000061035156f, 1.0009765625f};
  EXPECT_EQ(round_trip(WeightCoding::Float16, x), x);
}

TEST(CompressWeights, ConvWeightsShipAsTheOnnxWeightAndPackExactlyAtLoad) {
  // A 3x3 convolution of 16 -> 16 channels (Winograd) and a pointwise one (gemm), as the wasm
  // lowering adds them; and a bias too small to code. Float32: the expansion is bit-exact.
  emit::WeightsBuilder b;
  std::vector<int64_t> offsets;
  for (auto [algorithm, kh] : {std::pair{wasm::ConvAlgorithm::Winograd, 3}, std::pair{wasm::ConvAlgorithm::Gemm, 1}}) {
    wasm::ConvShape s{16, 16, kh, kh, 1};
    std::vector<float> w(static_cast<size_t>(16 * 16 * kh * kh));
    for (size_t i = 0; i < w.size(); i++) w[i] = std::sin(static_cast<float>(i));
    std::vector<float> packed = wasm::pack_conv_weights(algorithm, s, w.data());
    offsets.push_back(b.add_derived(packed, w, wasm::conv_pack_transform(algorithm, s)));
  }
  b.add(Tensor::from_floats({16}, std::vector<float>(16, 0.25f)));
  emit::BackendOutput out = output_of(std::move(b));
  const std::vector<uint8_t> raw = out.weights;
  emit::code_weights(out, std::nullopt);
  EXPECT_EQ(emit::expanded_weights(out), raw);
  // The Winograd weight ships as its 16*16*9 values, not the 16*16*16 packed ones; the pointwise
  // one's panels are no larger than its weight: left packed, no work at load.
  EXPECT_LT(out.weights.size(), raw.size() - 4 * 16 * 16 * 6);
  ASSERT_EQ(out.encoded["segments"].size(), 1u);
  EXPECT_EQ(out.encoded["segments"][0][3]["algorithm"], "winograd");
}

TEST(CompressWeights, IntegerConvWeightsShipAsInt8AndPairAtLoad) {
  // A quantized Conv's multiples, K = 96 by M = 20 (two panels of 16 columns, the second partial;
  // 48 pairs): the file holds the 1920 int8 values, the load makes the int32 words the converter
  // paired (1536 of them: fewer values than the source, more bytes), bit for bit.
  const int64_t K = 96, M = 20;
  std::vector<int32_t> multiples(static_cast<size_t>(K * M));
  std::vector<float> source(multiples.size());
  for (int64_t k = 0; k < K; k++)
    for (int64_t m = 0; m < M; m++) {
      int32_t q = static_cast<int32_t>((k * 31 + m * 17) % 255) - 127;
      multiples[static_cast<size_t>(k * M + m)] = q;
      source[static_cast<size_t>(m * K + k)] = static_cast<float>(q);
    }
  std::vector<int32_t> packed = wasm::pack_int_b(multiples, {0}, K, M);
  std::vector<float> words(packed.size());
  std::memcpy(words.data(), packed.data(), sizeof(int32_t) * packed.size());
  emit::WeightsBuilder b;
  b.add_derived(words, source, wasm::int_pack_transform(K, M));
  emit::BackendOutput out = output_of(std::move(b));
  const std::vector<uint8_t> raw = out.weights;
  emit::code_weights(out, std::nullopt);
  EXPECT_EQ(emit::expanded_weights(out), raw);
  ASSERT_EQ(out.encoded["segments"].size(), 1u);
  EXPECT_EQ(out.encoded["segments"][0][2], "int8");
  EXPECT_LT(out.weights.size(), raw.size() * 6 / 10);
}

TEST(CompressWeights, GemmWeightsShipAsColumnsAndPackAtLoad) {
  // B of 128 x 20 (panels of 16 columns: 32 wide, 60% padding) held as [N][K]: float values, and
  // values quantized per output column (int8 times a scale per row of the file), each expanding
  // to exactly the panels the converter packed.
  const int64_t K = 128, N = 20;
  for (bool quantized : {false, true}) {
    std::vector<float> columns(K * N), b(K * N);
    for (int64_t n = 0; n < N; n++)
      for (int64_t k = 0; k < K; k++) {
        float v = quantized ? static_cast<float>((n * 31 + k * 7) % 255 - 127) * (0.01f * static_cast<float>(n + 1))
                            : std::sin(static_cast<float>(n * K + k));
        columns[n * K + k] = v;
        b[k * N + n] = v;
      }
    std::vector<float> packed(wasm::packed_b_size(K, N));
    wasm::pack_b(b.data(), K, N, N, 1, packed.data());
    emit::WeightsBuilder builder;
    builder.add_derived(packed, columns, wasm::gemm_pack_transform(K, N));
    emit::BackendOutput out = output_of(std::move(builder));
    const std::vector<uint8_t> raw = out.weights;
    emit::code_weights(out, std::nullopt);
    EXPECT_EQ(emit::expanded_weights(out), raw) << quantized;
    ASSERT_EQ(out.encoded["segments"].size(), 1u);
    EXPECT_EQ(out.encoded["segments"][0][2], quantized ? "int8" : "float32");
    EXPECT_EQ(out.weights.size(), quantized ? K * N / 64 * (4 + 64) : 4 * K * N);
  }
}

TEST(CompressWeights, CodedRangesExpandToTheDecodedValuesAndSmallOnesStay) {
  emit::WeightsBuilder b;
  std::vector<float> big(4096), with_inf(2048, 1.0f), small(100, 0.3f);
  for (size_t i = 0; i < big.size(); i++) big[i] = std::cos(0.37f * static_cast<float>(i));
  with_inf[5] = -INFINITY;  // a mask: left as it is
  b.add(Tensor::from_floats({4096}, big));
  b.add(Tensor::from_floats({2048}, with_inf));
  b.add(Tensor::from_floats({100}, small));
  b.add(Tensor::from_ints({3}, {1, 2, 3}));  // not float32
  for (WeightCoding c : {WeightCoding::Float16, WeightCoding::Int8, WeightCoding::Int4}) {
    emit::BackendOutput out = output_of(b);
    const std::vector<uint8_t> raw = out.weights;
    emit::code_weights(out, c);
    std::vector<uint8_t> expanded = emit::expanded_weights(out);
    ASSERT_EQ(out.encoded["segments"].size(), 1u) << out.encoded.dump();
    std::vector<float> want = round_trip(c, big), got(4096);
    std::memcpy(got.data(), expanded.data(), 4096 * 4);
    EXPECT_EQ(got, want);
    // Everything after the coded range is as it was.
    EXPECT_TRUE(std::equal(expanded.begin() + 4096 * 4, expanded.end(), raw.begin() + 4096 * 4));
  }
}

TEST(CompressWeights, ValuesBeyondACodingsScaleStayFloat32) {
  // int4's float16 scale (largest / 7) would be infinite for 1e6; float16 holds at most 65504.
  for (WeightCoding c : {WeightCoding::Float16, WeightCoding::Int4}) {
    emit::WeightsBuilder b;
    std::vector<float> x(2048, 1.0f);
    x[7] = 1e6f;
    b.add(Tensor::from_floats({2048}, x));
    emit::BackendOutput out = output_of(std::move(b));
    const std::vector<uint8_t> raw = out.weights;
    emit::code_weights(out, c);
    EXPECT_EQ(out.weights, raw);
    EXPECT_EQ(emit::expanded_weights(out), raw);
    EXPECT_TRUE(out.encoded.is_null());
  }
}

TEST(CompressWeights, WeightsThatArriveQuantizedShipAsInt8Losslessly) {
  // 8 output channels of 576 int8 values times a scale each (DequantizeLinear folded at convert
  // time), -128 and 127 among them; then float weights that no int8 block holds.
  std::vector<float> quantized(8 * 576), plain(2048);
  for (size_t i = 0; i < quantized.size(); i++) {
    const int q = i % 577 == 5 ? -128 : static_cast<int>((i * 37) % 255) - 127;
    quantized[i] = static_cast<float>(q) * (0.0123f * static_cast<float>(i / 576 + 1));
  }
  for (size_t i = 0; i < plain.size(); i++) plain[i] = std::cos(0.37f * static_cast<float>(i));
  ASSERT_TRUE(emit::exact_int8_scales(quantized));
  EXPECT_FALSE(emit::exact_int8_scales(plain));
  for (std::optional<WeightCoding> c : {std::optional<WeightCoding>(), std::optional(WeightCoding::Float16)}) {
    emit::WeightsBuilder b;
    b.add(Tensor::from_floats({8, 576}, quantized));
    b.add(Tensor::from_floats({2048}, plain));
    emit::BackendOutput out = output_of(std::move(b));
    const std::vector<uint8_t> raw = out.weights;
    emit::code_weights(out, c);
    const std::vector<uint8_t> expanded = emit::expanded_weights(out);
    // Bit for bit where they were quantized; float16 (when asked for) on the rest.
    EXPECT_TRUE(std::equal(expanded.begin(), expanded.begin() + 4 * 8 * 576, raw.begin()));
    const Json& segments = out.encoded["segments"];
    ASSERT_EQ(segments.size(), c ? 2u : 1u) << out.encoded.dump();
    EXPECT_EQ(segments[0][2], "int8");
    EXPECT_EQ(out.weights.size(), 8 * 9 * (4 + 64) + 2048 * (c ? 2 : 4));
  }
}

TEST(CompressWeights, LoaderRefusesSegmentsThatDoNotAddUp) {
  auto refuse = [](const char* encoded, int64_t bytes, const char* why) {
    try {
      runtime::read_coded_weights(Json::parse(encoded), bytes);
      ADD_FAILURE() << "accepted " << encoded;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  // 64 int8 values at 0 save 256 - 68 bytes.
  EXPECT_EQ(runtime::read_coded_weights(Json::parse(R"({"bytes": 812, "segments": [[0, 64, "int8"]]})"), 1000).file_bytes, 812);
  refuse(R"({"bytes": 800, "segments": [[0, 64, "int8"]]})", 1000, "is not 812");
  refuse(R"({"bytes": 1000, "segments": [[0, 60, "int8"]]})", 1000, "whole blocks");
  refuse(R"({"bytes": 1000, "segments": [[2, 64, "float16"]]})", 1000, "misaligned");
  refuse(R"({"bytes": 1000, "segments": [[512, 64, "int8"], [256, 64, "int8"]]})", 1000, "overlaps");
  refuse(R"({"bytes": 1000, "segments": [[900, 64, "int8"]]})", 1000, "ends past");
  refuse(R"({"bytes": 1000, "segments": [[0, 64, "int9"]]})", 1000, "is not float32");
  refuse(R"({"bytes": 1000, "segments": [[0, 64, "float32"]]})", 1000, "codes nothing");
  refuse(R"({"bytes": 1000, "segments": [[0, 64, "float32", {"kind": "nope", "source": 9}]]})", 1000, "no weight transform");
  refuse(R"({"bytes": 10000, "segments": [[0, 2304, "float32", {"kind": "wasm.conv_pack", "source": 9,
           "algorithm": "winograd", "C": 16, "M": 16, "kh": 3, "kw": 3, "group": 1}]]})", 10000, "are not a weight");
  refuse(R"({"bytes": 1000, "segments": [[0, 16, "float32", {"kind": "wasm.conv_pack", "source": 16,
           "algorithm": "winograd", "C": 4, "M": 4, "kh": 1, "kw": 1, "group": 1}]]})", 1000, "does not fit");
  refuse(R"({"bytes": 1000, "segments": [[0, 16, "float32", {"kind": "wasm.conv_pack", "source": 16,
           "algorithm": "gemm", "C": 4000000000, "M": 4, "kh": 1, "kw": 1, "group": 1}]]})", 1000, "");
}

}  // namespace
}  // namespace webdnn
