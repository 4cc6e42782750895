//! One small hash for the whole crate: FNV-1a over 64 bits, stable across Rust versions
//! and platforms (std's hasher is not). [`StoryId`](crate::archive::StoryId) hashes with
//! it and then [`mix`]es (ids are kept on disk); the cleaner keys its maps of one
//! article's short keys with it ([`FnvBuild`]).

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a's state. As a [`std::hash::Hasher`] its `finish` is the plain FNV-1a value;
/// [`Fnv::mixed`] spreads its weak high bits first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

impl Fnv {
    /// Nothing hashed yet.
    pub const fn new() -> Self {
        Fnv(OFFSET)
    }

    /// Hash these bytes in.
    #[inline]
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }

    /// Hash one byte in.
    #[inline(always)]
    pub fn byte(&mut self, b: u8) {
        self.0 = self.with(b);
    }

    /// The state after one more byte (this one unchanged).
    #[inline(always)]
    pub fn with(&self, b: u8) -> u64 {
        (self.0 ^ u64::from(b)).wrapping_mul(PRIME)
    }

    /// Hash one byte in only when `when` (without a branch: for text whose bytes follow
    /// no pattern a branch predictor could learn).
    #[inline(always)]
    pub fn byte_if(&mut self, b: u8, when: bool) {
        let next = self.with(b);
        self.0 = if when { next } else { self.0 };
    }

    /// The value, mixed ([`mix`]): what ids kept on disk are.
    pub fn mixed(&self) -> u64 {
        mix(self.0)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }
}

/// Builds [`Fnv`] hashers for a `HashMap` of short keys.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A bijective mix of 64 bits (splitmix64's finaliser).
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher;

    #[test]
    fn fnv_1a_known_values() {
        // FNV-1a 64's published test vectors
        let of = |s: &[u8]| {
            let mut h = Fnv::new();
            h.write(s);
            h.finish()
        };
        assert_eq!(of(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(of(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(of(b"foobar"), 0x8594_4171_f739_67e8);
        let mut h = Fnv::new();
        h.bytes(b"foo");
        let next = h.with(b'b');
        h.byte(b'b');
        assert_eq!(h.finish(), next);
        let before = h;
        h.byte_if(b'a', false);
        assert_eq!(h, before);
        h.byte_if(b'a', true);
        assert_eq!(h.finish(), before.with(b'a'));
    }

    #[test]
    fn mix_is_splitmix64s_finaliser() {
        assert_eq!(mix(0), 0);
        assert_ne!(mix(1), 1);
        let mut h = Fnv::new();
        h.bytes(b"x");
        assert_eq!(h.mixed(), mix(h.finish()));
    }
}
