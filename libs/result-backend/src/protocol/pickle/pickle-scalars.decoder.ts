/**
 * The pickle opcodes that push one scalar (numbers, strings, bytes, None, booleans).
 */
import { OP } from './pickle-opcodes.constants.js';
import {
  type PickleInput,
  decodeLong,
  latin1,
  narrowInt,
  utf8,
} from './pickle-input.decoder.js';
import {
  parseFloatText,
  parseIntText,
  parseQuotedString,
  parseRawUnicode,
} from './pickle-text.decoder.js';

/** Reads the argument of one scalar opcode from `input`; returns the value it pushes. @internal */
export type ScalarReader = (input: PickleInput) => unknown;

/** Bytes as Python `bytes`; BYTEARRAY8's `bytearray` reads the same way. */
const bytes = (data: Uint8Array): Uint8Array => Uint8Array.from(data);

/** Each scalar opcode with its reader, as pickle.py's `load_*` method for that opcode. */
const READERS: readonly (readonly [opcode: number, read: ScalarReader])[] = [
  [OP.NONE, () => null],
  [OP.NEWTRUE, () => true],
  [OP.NEWFALSE, () => false],
  [OP.INT, (input) => parseIntText(input.line(), true)],
  [OP.LONG, (input) => parseIntText(input.line(), false)],
  [OP.BININT, (input) => input.i32()],
  [OP.BININT1, (input) => input.u8()],
  [OP.BININT2, (input) => input.u16()],
  [OP.LONG1, (input) => narrowInt(decodeLong(input.take(input.u8())))],
  [OP.LONG4, (input) => narrowInt(decodeLong(input.take(input.i32())))],
  [OP.FLOAT, (input) => parseFloatText(input.line())],
  [OP.BINFLOAT, (input) => input.f64be()],
  [OP.STRING, (input) => parseQuotedString(input.line())],
  [OP.BINSTRING, (input) => latin1(input.take(input.i32()))],
  [OP.SHORT_BINSTRING, (input) => latin1(input.take(input.u8()))],
  [OP.UNICODE, (input) => parseRawUnicode(input.line())],
  [OP.SHORT_BINUNICODE, (input) => utf8(input.take(input.u8()))],
  [OP.BINUNICODE, (input) => utf8(input.take(input.u32()))],
  [OP.BINUNICODE8, (input) => utf8(input.take(input.u64()))],
  [OP.SHORT_BINBYTES, (input) => bytes(input.take(input.u8()))],
  [OP.BINBYTES, (input) => bytes(input.take(input.u32()))],
  [OP.BINBYTES8, (input) => bytes(input.take(input.u64()))],
  [OP.BYTEARRAY8, (input) => bytes(input.take(input.u64()))],
];

/**
 * The reader of each scalar opcode, by opcode. The stack machine looks an opcode up here (one
 * map lookup) before it refuses it as unknown.
 * @internal
 */
export const SCALAR_READERS: ReadonlyMap<number, ScalarReader> = new Map(
  READERS,
);
