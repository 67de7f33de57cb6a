//! FNV-1a, 64 bits: a hash that is the same on every run, machine and build, and that a `const`
//! can compute (the bundled files' hashes are computed while the binary is compiled).

/// FNV-1a of `bytes`.
pub const fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}
