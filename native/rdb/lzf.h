// LZF, the compression of RDB strings (encoding 0xC3): runs of literals and back
// references of up to 264 bytes within the last 8 KB of output.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace raa {

// Decompresses into exactly `outLen` bytes; false if the input is malformed or does not
// decompress to exactly that length (never writes or reads out of bounds).
bool lzfDecompress(const uint8_t* in, size_t inLen, uint8_t* out, size_t outLen);

// Appends the compressed form of `in` to `out` when it saves at least `minSaving` bytes;
// returns false (and leaves `out` as it was) otherwise.
bool lzfCompress(const uint8_t* in, size_t inLen, std::string& out, size_t minSaving);

}  // namespace raa
