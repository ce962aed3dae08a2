/**
 * The pickle opcodes that push one scalar (numbers, strings, bytes, None, booleans).
 */
import { OP } from './pickle-opcodes.constants.js';
import {
  PickleFormatError,
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

/** Opcodes {@link readScalar} handles. @internal */
export const SCALAR_OPCODES: ReadonlySet<number> = new Set<number>([
  OP.NONE,
  OP.NEWTRUE,
  OP.NEWFALSE,
  OP.INT,
  OP.LONG,
  OP.BININT,
  OP.BININT1,
  OP.BININT2,
  OP.LONG1,
  OP.LONG4,
  OP.FLOAT,
  OP.BINFLOAT,
  OP.STRING,
  OP.BINSTRING,
  OP.SHORT_BINSTRING,
  OP.UNICODE,
  OP.SHORT_BINUNICODE,
  OP.BINUNICODE,
  OP.BINUNICODE8,
  OP.SHORT_BINBYTES,
  OP.BINBYTES,
  OP.BINBYTES8,
  OP.BYTEARRAY8,
]);

/** Read the argument of a scalar opcode and return the value it pushes. @internal */
export function readScalar(op: number, input: PickleInput): unknown {
  switch (op) {
    case OP.NONE:
      return null;
    case OP.NEWTRUE:
      return true;
    case OP.NEWFALSE:
      return false;
    case OP.INT:
      return parseIntText(input.line(), true);
    case OP.LONG:
      return parseIntText(input.line(), false);
    case OP.BININT:
      return input.i32();
    case OP.BININT1:
      return input.u8();
    case OP.BININT2:
      return input.u16();
    case OP.LONG1:
      return narrowInt(decodeLong(input.take(input.u8())));
    case OP.LONG4:
      return narrowInt(decodeLong(input.take(input.i32())));
    case OP.FLOAT:
      return parseFloatText(input.line());
    case OP.BINFLOAT:
      return input.f64be();
    case OP.STRING:
      return parseQuotedString(input.line());
    case OP.BINSTRING:
      return latin1(input.take(input.i32()));
    case OP.SHORT_BINSTRING:
      return latin1(input.take(input.u8()));
    case OP.UNICODE:
      return parseRawUnicode(input.line());
    case OP.SHORT_BINUNICODE:
      return utf8(input.take(input.u8()));
    case OP.BINUNICODE:
      return utf8(input.take(input.u32()));
    case OP.BINUNICODE8:
      return utf8(input.take(input.u64()));
    case OP.SHORT_BINBYTES:
      return Uint8Array.from(input.take(input.u8()));
    case OP.BINBYTES:
      return Uint8Array.from(input.take(input.u32()));
    case OP.BINBYTES8:
    case OP.BYTEARRAY8:
      return Uint8Array.from(input.take(input.u64()));
    default:
      throw new PickleFormatError(`not a scalar opcode 0x${op.toString(16)}`);
  }
}
