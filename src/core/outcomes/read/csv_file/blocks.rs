//! Reading a stream in large blocks that end at line ends, so that each block holds whole lines
//! and memory stays bounded however large the file.

use std::io::{self, Cursor, Read};

use memchr::memrchr;

/// A stream read block by block; each block but the last ends with `\n`.
pub(super) struct BlockReader<R> {
    input: R,
    /// Bytes read after the last line end of the previous block.
    carry: Vec<u8>,
    /// The size a block is read up to (more when one line is longer).
    block_bytes: usize,
    /// Whether the stream has ended.
    at_end: bool,
    /// Bytes handed out in blocks so far.
    consumed_bytes: u64,
}

impl<R: Read> BlockReader<R> {
    /// Reads `input` in blocks of about `block_bytes`.
    pub(super) fn new(input: R, block_bytes: usize) -> Self {
        Self {
            input,
            carry: Vec::new(),
            block_bytes: block_bytes.max(1),
            at_end: false,
            consumed_bytes: 0,
        }
    }

    /// Whether every byte of the stream has been handed out.
    pub(super) fn is_done(&self) -> bool {
        self.at_end && self.carry.is_empty()
    }

    /// Bytes handed out in blocks so far.
    pub(super) fn consumed_bytes(&self) -> u64 {
        self.consumed_bytes
    }

    /// The next block, read into `buffer` (its memory reused); `None` at the end of the stream.
    pub(super) fn next_block(&mut self, mut buffer: Vec<u8>) -> io::Result<Option<Vec<u8>>> {
        buffer.clear();
        buffer.append(&mut self.carry);
        let mut searched = 0;
        loop {
            if !self.at_end {
                let wanted = self.block_bytes.saturating_sub(buffer.len()).max(1);
                let read = (&mut self.input)
                    .take(wanted as u64)
                    .read_to_end(&mut buffer)?;
                self.at_end = read < wanted;
            }
            if self.at_end {
                break;
            }
            if let Some(end) = buffer.get(searched..).and_then(|new| memrchr(b'\n', new)) {
                let cut = searched + end + 1;
                self.carry
                    .extend_from_slice(buffer.get(cut..).unwrap_or_default());
                buffer.truncate(cut);
                break;
            }
            // One line longer than a block: read on to its end.
            searched = buffer.len();
            self.block_bytes = self.block_bytes.max(buffer.len().saturating_mul(2));
        }
        if buffer.is_empty() {
            return Ok(None);
        }
        self.consumed_bytes += buffer.len() as u64;
        Ok(Some(buffer))
    }

    /// The stream from the start of `block` on: the block, the bytes read after it, and the
    /// rest of the input.
    pub(super) fn rest_from(self, mut block: Vec<u8>) -> impl Read {
        block.extend_from_slice(&self.carry);
        Cursor::new(block).chain(self.input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &[u8], block_bytes: usize) -> Vec<Vec<u8>> {
        let mut reader = BlockReader::new(text, block_bytes);
        let mut out = Vec::new();
        while let Some(block) = reader.next_block(Vec::new()).unwrap() {
            out.push(block);
        }
        assert!(reader.is_done());
        assert_eq!(reader.consumed_bytes(), text.len() as u64);
        out
    }

    #[test]
    fn blocks_end_at_line_ends_and_hold_every_byte() {
        let text = b"ab\ncd\nefgh\nij";
        for block_bytes in 1..20 {
            let blocks = blocks(text, block_bytes);
            assert_eq!(blocks.concat(), text, "{block_bytes}");
            let (last, whole) = blocks.split_last().unwrap();
            assert!(
                whole.iter().all(|block| block.ends_with(b"\n")),
                "{blocks:?}"
            );
            assert!(!last.is_empty());
        }
        assert_eq!(blocks(b"", 4), Vec::<Vec<u8>>::new());
        assert_eq!(blocks(b"abcdefgh", 2), [b"abcdefgh".to_vec()]);
    }

    #[test]
    fn the_rest_of_the_stream_follows_a_block() {
        let mut reader = BlockReader::new(&b"ab\ncd\nef\ngh"[..], 4);
        let first = reader.next_block(Vec::new()).unwrap().unwrap();
        assert_eq!(first, b"ab\n");
        let second = reader.next_block(Vec::new()).unwrap().unwrap();
        let mut rest = Vec::new();
        reader.rest_from(second).read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"cd\nef\ngh");
    }
}
