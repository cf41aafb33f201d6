/*
 * The instruction walk, compiled to wasm32 (scripts/build-walker.sh) and driven by
 * ../code-walk.ts. It decodes every instruction of a function body or constant expression
 * just far enough to skip its immediates, counts the prefixed instruction classes and
 * collects the features the opcodes imply. Immediate layouts follow facts §11 and the
 * Wasm 3.0 binary grammar.
 *
 * The host copies a window of the file (a stretch of the code section, or of the region
 * holding constant expressions) to `input_base()`, followed by PAD bytes: the file's next
 * bytes, zeros past its end. The single-byte fast paths may look a few bytes past the end
 * of a body, as a reader of the whole file would (the loop condition then reports the
 * overrun); every read goes through `at()`/`AT()`, which clamp to the input, except the walk's
 * fast path, which reads the opcode and the four bytes after it only while the position is
 * before the region's end, so inside the input plus its PAD: nothing outside the input is ever
 * read whatever the bytes say.
 *
 * Errors are an error code plus offsets and numbers in `result`; code-walk.ts turns them
 * into messages. No libc: freestanding C, no allocation.
 */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

/* Bytes after the input that the host fills; the fast paths never overrun by this much. */
#define PAD 64u
/* Returned instead of a position when the walk failed; `result` says why. */
#define FAILED 0xffffffffu

/* Feature bits: the order of FEATURE_ORDER in ../features.ts. */
enum {
  F_SIMD = 1 << 0,
  F_RELAXED_SIMD = 1 << 1,
  F_BULK_MEMORY = 1 << 2,
  F_NONTRAPPING = 1 << 3,
  F_SIGN_EXT = 1 << 4,
  F_ATOMICS = 1 << 5,
  F_MULTIVALUE = 1 << 7,
  F_REFERENCE_TYPES = 1 << 8,
  F_TAIL_CALL = 1 << 9,
  F_EXCEPTIONS = 1 << 10,
  F_LEGACY_EXCEPTIONS = 1 << 11,
  F_MULTIMEMORY = 1 << 13,
  F_GC = 1 << 14,
  F_FUNCTION_REFERENCES = 1 << 15,
  F_EXTENDED_CONST = 1 << 16,
};

/* Error codes: keep in step with the messages in ../code-walk.ts. */
enum {
  E_TRAILING_BYTES = 1,   /* a = bytes after the final end */
  E_IMMEDIATES_PAST_END,  /* a = offset of the instruction */
  E_MISSING_END,          /* a = open blocks */
  E_UNKNOWN_OPCODE,       /* a = prefix byte (0 for none), b = opcode or sub-opcode */
  E_BLOCK_TYPE,           /* a = byte */
  E_TRUNCATED_IMMEDIATE,
  E_U32_TOO_LARGE,
  E_U32_TOO_LONG,
  E_U64_TOO_LARGE,
  E_U64_TOO_LONG,
  E_SIGNED_TOO_LARGE,     /* a = bits */
  E_SIGNED_TOO_LONG,      /* a = bits */
  E_MEMARG_FLAGS,         /* a = flags */
  E_BR_TABLE_COUNT,       /* a = labels, b = bytes left */
  E_HEAP_TYPE,            /* a = byte */
  E_VALUE_TYPE,           /* a = byte */
  E_VALTYPE_VECTOR_COUNT, /* a = count, b = bytes left */
  E_CATCH_COUNT,          /* a = count, b = bytes left */
  E_CATCH_KIND,           /* a = kind */
  E_FENCE_RESERVED,       /* a = byte */
  E_CAST_FLAGS,           /* a = flags */
  E_DELEGATE_OUTSIDE_TRY,
  E_LOCALS_COUNT,         /* a = groups, b = bytes left */
  E_TOO_MANY_LOCALS,
  E_SECTION_TRUNCATED,    /* a body's size runs past the code section */
  E_BODY_SIZE,            /* a = body (index in this call), b = declared size, c = bytes left */
  E_ELSE_OUTSIDE_IF,
  E_DATA_COUNT_REQUIRED,  /* a = 0xFC sub-opcode (8 memory.init, 9 data.drop) */
  /* Not errors: the input ends before the section does; `result.position` says where to go on. */
  MORE_INPUT = 100,       /* a = bytes the next input needs from `position` (0: any) */
  /* index_names met something other than the usual form; the host's exact reader takes over. */
  NOT_PLAIN = 101,
};

/* What the host reads after each call (see RESULT_FIELDS in ../code-walk.ts). */
static struct {
  u32 error;
  u32 offset;
  u32 a;
  u32 b;
  u32 c;
  /* Position after the walked expression, or where the next body starts. */
  u32 position;
  /* Bodies recorded in `records`. */
  u32 records;
  u32 total;
  u32 simd;
  u32 relaxed_simd;
  u32 bulk_memory;
  u32 atomics;
  u32 gc;
  u32 features;
} result;

extern u8 __heap_base;

/* The input and its length including PAD, set per call. */
static const u8 *input;
static u32 input_cap;
/* Where the file ends, relative to the input (at or after its length). */
static u32 file_end;
/* Whether the module has a data count section: without one, the code may not use data indices. */
static int data_count_present;

/*
 * One bit per open block depth: set while the block at that depth is an `if` that has not met
 * its `else`, so an `else` anywhere else is found where it stands. Blocks nested deeper than
 * MAX_TRACKED_DEPTH (far beyond what any engine accepts) are not tracked: an `else` there is
 * left to validation rather than reported wrongly.
 */
#define MAX_TRACKED_DEPTH (1u << 20)
static u32 open_if[MAX_TRACKED_DEPTH / 32];

static inline void mark_block(u32 depth, u32 is_if) {
  if (depth >= MAX_TRACKED_DEPTH) return;
  u32 bit = 1u << (depth & 31);
  if (is_if) open_if[depth >> 5] |= bit;
  else open_if[depth >> 5] &= ~bit;
}

/* At an `else` closing the then-arm of the block at `depth`: was it an `if` still without `else`? */
static inline int take_else(u32 depth) {
  if (depth >= MAX_TRACKED_DEPTH) return 1;
  u32 bit = 1u << (depth & 31);
  if (!(open_if[depth >> 5] & bit)) return 0;
  open_if[depth >> 5] &= ~bit;
  return 1;
}

static inline u32 clamped(const u8 *b, u32 last, u32 q) { return b[q < last ? q : last]; }
static inline u32 at(u32 q) { return clamped(input, input_cap - 1, q); }
/* The same in the walk's loop, over locals. */
#define AT(q) clamped(b, last, (q))

static u32 failure(u32 code, u32 offset, u32 a, u32 b) {
  result.error = code;
  result.offset = offset;
  result.a = a;
  result.b = b;
  return FAILED;
}

/*
 * Where each body walked in one call starts (its size LEB, as a file offset), then from
 * MAX_RECORDS on, each body's size.
 */
#define MAX_RECORDS 16384u
static u32 records[2 * MAX_RECORDS];

static u32 truncated(u32 p, u32 end) { return failure(E_TRUNCATED_IMMEDIATE, p < end ? p : end, 0, 0); }

#define TRY(expression) \
  do { \
    if ((expression) == FAILED) return FAILED; \
  } while (0)

/* ---- tables ---- */

enum {
  K_UNKNOWN = 0, K_NONE, K_BLOCK, K_END, K_IDX, K_IDX2, K_BR_TABLE, K_MEMARG, K_I32, K_I64, K_F32, K_F64,
  K_SELECT_T, K_TRY_TABLE, K_HEAP_TYPE, K_MEM_IDX, K_DELEGATE, K_GC, K_MISC, K_SIMD, K_ATOMIC, K_ELSE,
};
static u8 kind_of[256];
static u32 code_features[256];
static u32 const_features[256];

enum { S_UNKNOWN = 0, S_NONE, S_MEMARG, S_BYTES16, S_LANE, S_MEMARG_LANE };
#define SIMD_OPCODES 0x114u
static u8 simd_kind[SIMD_OPCODES];

/*
 * The fast path of the walk, for the opcodes most code is made of: the instruction's length when
 * every LEB128 immediate takes one byte (0: never fast), and which bits of the four bytes after
 * the opcode must then be clear (continuation bits; a memarg's alignment below 64, a memory
 * index of zero). One well-predicted test replaces the switch's indirect jump for them.
 */
static u8 fast_length[256];
static u32 fast_clear[256];

/*
 * The second fast path, for an opcode whose LEB128 immediate takes 2–4 bytes (an index past 127, a
 * constant or an offset past 63): the bytes before the LEB, opcode included (0: none), and which
 * bits of the first of them after the opcode must be clear.
 */
static u8 leb_base[256];
static u8 leb_clear[256];

static void set_leb(u32 from, u32 to, u8 base, u8 clear) {
  for (u32 op = from; op <= to; op++) {
    leb_base[op] = base;
    leb_clear[op] = clear;
  }
}

static void set_fast(u32 from, u32 to, u8 length, u32 clear) {
  for (u32 op = from; op <= to; op++) {
    fast_length[op] = length;
    fast_clear[op] = clear;
  }
}

/* Features of single-byte value types and abstract heap types; -1 where the byte is none. */
static int valtype_features[128];
static int heaptype_features[128];
#define REF_NULL_PREFIX 0x63
#define REF_PREFIX 0x64

static void set_kind(u32 from, u32 to, u8 kind, u32 features) {
  for (u32 op = from; op <= to; op++) {
    kind_of[op] = kind;
    code_features[op] = features;
  }
}

static int tables_ready;

static void init_tables(void) {
  set_kind(0x00, 0x01, K_NONE, 0);
  set_kind(0x02, 0x04, K_BLOCK, 0);
  set_kind(0x05, 0x05, K_ELSE, 0);
  set_kind(0x06, 0x06, K_BLOCK, F_LEGACY_EXCEPTIONS); /* try */
  set_kind(0x07, 0x07, K_IDX, F_LEGACY_EXCEPTIONS);   /* catch tagidx */
  set_kind(0x08, 0x08, K_IDX, F_EXCEPTIONS);          /* throw tagidx */
  set_kind(0x09, 0x09, K_IDX, F_LEGACY_EXCEPTIONS);   /* rethrow labelidx */
  set_kind(0x0a, 0x0a, K_NONE, F_EXCEPTIONS);         /* throw_ref */
  set_kind(0x0b, 0x0b, K_END, 0);
  set_kind(0x0c, 0x0d, K_IDX, 0);
  set_kind(0x0e, 0x0e, K_BR_TABLE, 0);
  set_kind(0x0f, 0x0f, K_NONE, 0);
  set_kind(0x10, 0x10, K_IDX, 0);
  set_kind(0x11, 0x11, K_IDX2, 0);
  set_kind(0x12, 0x12, K_IDX, F_TAIL_CALL);
  set_kind(0x13, 0x13, K_IDX2, F_TAIL_CALL);
  set_kind(0x14, 0x14, K_IDX, F_FUNCTION_REFERENCES);               /* call_ref */
  set_kind(0x15, 0x15, K_IDX, F_FUNCTION_REFERENCES | F_TAIL_CALL); /* return_call_ref */
  set_kind(0x18, 0x18, K_DELEGATE, F_LEGACY_EXCEPTIONS);
  set_kind(0x19, 0x19, K_NONE, F_LEGACY_EXCEPTIONS); /* catch_all */
  set_kind(0x1a, 0x1b, K_NONE, 0);
  set_kind(0x1c, 0x1c, K_SELECT_T, F_REFERENCE_TYPES);
  set_kind(0x1f, 0x1f, K_TRY_TABLE, F_EXCEPTIONS);
  set_kind(0x20, 0x24, K_IDX, 0);
  set_kind(0x25, 0x26, K_IDX, F_REFERENCE_TYPES); /* table.get/set */
  set_kind(0x28, 0x3e, K_MEMARG, 0);
  set_kind(0x3f, 0x40, K_MEM_IDX, 0);
  set_kind(0x41, 0x41, K_I32, 0);
  set_kind(0x42, 0x42, K_I64, 0);
  set_kind(0x43, 0x43, K_F32, 0);
  set_kind(0x44, 0x44, K_F64, 0);
  set_kind(0x45, 0xbf, K_NONE, 0);
  set_kind(0xc0, 0xc4, K_NONE, F_SIGN_EXT);
  set_kind(0xd0, 0xd0, K_HEAP_TYPE, F_REFERENCE_TYPES); /* ref.null */
  set_kind(0xd1, 0xd1, K_NONE, F_REFERENCE_TYPES);      /* ref.is_null */
  set_kind(0xd2, 0xd2, K_IDX, F_REFERENCE_TYPES);       /* ref.func */
  set_kind(0xd3, 0xd3, K_NONE, F_GC);                   /* ref.eq */
  set_kind(0xd4, 0xd4, K_NONE, F_FUNCTION_REFERENCES);  /* ref.as_non_null */
  set_kind(0xd5, 0xd6, K_IDX, F_FUNCTION_REFERENCES);   /* br_on_null, br_on_non_null */
  /* The prefix cases set their features themselves. */
  set_kind(0xfb, 0xfb, K_GC, 0);
  set_kind(0xfc, 0xfc, K_MISC, 0);
  set_kind(0xfd, 0xfd, K_SIMD, 0);
  set_kind(0xfe, 0xfe, K_ATOMIC, 0);
  set_fast(0x00, 0x01, 1, 0);         /* unreachable, nop */
  set_fast(0x0c, 0x0d, 2, 0x80);      /* br, br_if */
  set_fast(0x0f, 0x0f, 1, 0);         /* return */
  set_fast(0x10, 0x10, 2, 0x80);      /* call */
  set_fast(0x11, 0x11, 3, 0x8080);    /* call_indirect */
  set_fast(0x1a, 0x1b, 1, 0);         /* drop, select */
  set_fast(0x20, 0x24, 2, 0x80);      /* local.*, global.* */
  set_fast(0x28, 0x3e, 3, 0x80c0);    /* loads and stores: alignment below 64, one-byte offset */
  set_fast(0x3f, 0x40, 2, 0xff);      /* memory.size, memory.grow of memory 0 */
  set_fast(0x41, 0x42, 2, 0x80);      /* i32.const, i64.const: any one-byte signed LEB is in range */
  set_fast(0x43, 0x43, 5, 0);         /* f32.const */
  set_fast(0x44, 0x44, 9, 0);         /* f64.const */
  set_fast(0x45, 0xc4, 1, 0);         /* numeric */
  set_leb(0x0c, 0x0d, 1, 0);          /* br, br_if */
  set_leb(0x10, 0x10, 1, 0);          /* call */
  set_leb(0x20, 0x24, 1, 0);          /* local.*, global.* */
  set_leb(0x28, 0x3e, 2, 0xc0);       /* loads and stores: alignment below 64, then the offset */
  set_leb(0x41, 0x42, 1, 0);          /* i32.const, i64.const: a signed LEB of 4 bytes or fewer is in range */
  for (u32 op = 0; op < 256; op++) const_features[op] = code_features[op];
  /* In constant expressions, arithmetic means extended-const. */
  static const u8 extended[] = {0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e};
  for (u32 i = 0; i < sizeof extended; i++) const_features[extended[i]] = F_EXTENDED_CONST;

  /* Sub-opcode immediates under 0xFD (facts §11.1). */
  for (u32 op = 0; op < SIMD_OPCODES; op++) simd_kind[op] = S_NONE;
  for (u32 op = 0x00; op < 0x0c; op++) simd_kind[op] = S_MEMARG;
  simd_kind[0x0c] = S_BYTES16; /* v128.const */
  simd_kind[0x0d] = S_BYTES16; /* i8x16.shuffle */
  for (u32 op = 0x15; op < 0x23; op++) simd_kind[op] = S_LANE;
  for (u32 op = 0x54; op < 0x5c; op++) simd_kind[op] = S_MEMARG_LANE;
  simd_kind[0x5c] = S_MEMARG;
  simd_kind[0x5d] = S_MEMARG;
  /* Numbers the SIMD proposal left unassigned. */
  static const u8 unassigned[] = {0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb,
                                  0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee};
  for (u32 i = 0; i < sizeof unassigned; i++) simd_kind[unassigned[i]] = S_UNKNOWN;

  for (u32 t = 0; t < 128; t++) valtype_features[t] = heaptype_features[t] = -1;
  valtype_features[0x7f] = valtype_features[0x7e] = valtype_features[0x7d] = valtype_features[0x7c] = 0;
  valtype_features[0x7b] = F_SIMD;
  heaptype_features[0x70] = heaptype_features[0x6f] = F_REFERENCE_TYPES;
  static const u8 gc_heap_types[] = {0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73};
  for (u32 i = 0; i < sizeof gc_heap_types; i++) heaptype_features[gc_heap_types[i]] = F_GC;
  heaptype_features[0x69] = heaptype_features[0x74] = F_EXCEPTIONS;
  for (u32 t = 0; t < 128; t++) {
    if (heaptype_features[t] >= 0) valtype_features[t] = heaptype_features[t];
  }
  tables_ready = 1;
}

/* ---- LEB128, strictly ---- */

/* Position after the LEB at `p`; only for LEBs already validated. */
static u32 leb_end(u32 p) {
  while (at(p) & 0x80) p++;
  return p + 1;
}

/* Reads a u32 LEB at `p` into `*value`; returns the position after it. */
static u32 read_u32(u32 p, u32 end, u32 *value) {
  u32 v = 0;
  for (u32 i = 0; i < 5; i++) {
    if (p + i >= end) return truncated(p + i, end);
    u32 byte = at(p + i);
    if (i == 4 && (byte & 0x70) != 0) return failure(E_U32_TOO_LARGE, p + i, 0, 0);
    v |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      *value = v;
      return p + i + 1;
    }
  }
  return failure(E_U32_TOO_LONG, p, 0, 0);
}

static u32 skip_u32(u32 p, u32 end) {
  u32 ignored;
  return read_u32(p, end, &ignored);
}

static u32 skip_u64(u32 p, u32 end) {
  for (u32 i = 0; i < 10; i++) {
    if (p + i >= end) return truncated(p + i, end);
    u32 byte = at(p + i);
    if (i == 9 && (byte & 0x7e) != 0) return failure(E_U64_TOO_LARGE, p + i, 0, 0);
    if ((byte & 0x80) == 0) return p + i + 1;
  }
  return failure(E_U64_TOO_LONG, p, 0, 0);
}

/* Signed LEB of `bits` (32, 33 or 64): the unused bits of the last byte must repeat the sign. */
static u32 skip_signed(u32 p, u32 end, u32 bits) {
  u32 max_bytes = (bits + 6) / 7;
  for (u32 i = 0; i < max_bytes; i++) {
    if (p + i >= end) return truncated(p + i, end);
    u32 byte = at(p + i);
    if ((byte & 0x80) == 0) {
      if (i == max_bytes - 1) {
        u32 used = bits - 7 * ((bits - 1) / 7);
        u32 mask = 0x7f & ~((1u << (used - 1)) - 1);
        u32 rest = byte & mask;
        if (rest != ((byte & (1u << (used - 1))) ? mask : 0)) return failure(E_SIGNED_TOO_LARGE, p + i, bits, 0);
      }
      return p + i + 1;
    }
  }
  return failure(E_SIGNED_TOO_LONG, p, bits, 0);
}

/* ---- immediates ---- */

/* Memarg flags >= 64: bit 6 announces a memory index (multi-memory, facts §11); >= 128 is malformed. */
static u32 skip_memarg_flags(u32 p, u32 end) {
  u32 flags;
  u32 next = read_u32(p, end, &flags);
  TRY(next);
  if (flags >= 0x80) return failure(E_MEMARG_FLAGS, p, flags, 0);
  return flags >= 0x40 ? skip_u32(next, end) : next;
}

static u32 skip_memarg(u32 p, u32 end) {
  if (at(p) >= 0x40) {
    p = skip_memarg_flags(p, end);
    TRY(p);
  } else p++;
  return skip_u64(p, end);
}

static u32 skip_br_table(u32 p, u32 end) {
  u32 count;
  p = read_u32(p, end, &count);
  TRY(p);
  if (count > end - p) return failure(E_BR_TABLE_COUNT, p, count, end - p);
  for (u64 i = 0; i <= count; i++) {
    if (at(p++) & 0x80) {
      p = skip_u32(p - 1, end);
      TRY(p);
    }
  }
  return p;
}

static u32 skip_heap_type(u32 p, u32 end) {
  if (p >= end) return truncated(p, end);
  u32 x = at(p);
  if (x >= 0x40 && x < 0x80) {
    if (heaptype_features[x] < 0) return failure(E_HEAP_TYPE, p, x, 0);
    return p + 1;
  }
  return skip_signed(p, end, 33);
}

/* After a single-byte value type `x` at `p - 1`: validates it and skips a `(ref ht)` heap type. */
static u32 skip_valtype_tail(u32 x, u32 p, u32 end, u32 type_at) {
  if (x == REF_NULL_PREFIX || x == REF_PREFIX) return skip_heap_type(p, end);
  if (valtype_features[x] < 0) return failure(E_BLOCK_TYPE, type_at, x, 0);
  return p;
}

static u32 block_features(u32 x) {
  if (x == REF_NULL_PREFIX || x == REF_PREFIX) return F_FUNCTION_REFERENCES;
  return valtype_features[x] > 0 ? (u32)valtype_features[x] : 0;
}

static u32 skip_valtype(u32 p, u32 end) {
  if (p >= end) return truncated(p, end);
  u32 x = at(p);
  if (x == REF_NULL_PREFIX || x == REF_PREFIX) return skip_heap_type(p + 1, end);
  if (x >= 0x80 || valtype_features[x] < 0) return failure(E_VALUE_TYPE, p, x, 0);
  return p + 1;
}

static u32 skip_valtype_vector(u32 p, u32 end) {
  u32 count;
  p = read_u32(p, end, &count);
  TRY(p);
  if (count > end - p) return failure(E_VALTYPE_VECTOR_COUNT, p, count, end - p);
  for (u32 i = 0; i < count; i++) {
    p = skip_valtype(p, end);
    TRY(p);
  }
  return p;
}

static u32 skip_try_table(u32 p, u32 end, u32 start) {
  u32 x = at(p++);
  if (x & 0x80) {
    p = skip_signed(p - 1, end, 33);
    TRY(p);
  } else if (x > 0x40) {
    p = skip_valtype_tail(x, p, end, start + 1);
    TRY(p);
  }
  u32 count;
  p = read_u32(p, end, &count);
  TRY(p);
  if (count > end - p) return failure(E_CATCH_COUNT, p, count, end - p);
  for (u32 i = 0; i < count; i++) {
    if (p >= end) return truncated(p, end);
    u32 kind = at(p);
    if (kind > 3) return failure(E_CATCH_KIND, p, kind, 0);
    p++;
    if (kind < 2) {
      p = skip_u32(p, end); /* tag index */
      TRY(p);
    }
    p = skip_u32(p, end); /* label */
    TRY(p);
  }
  return p;
}

/* The sub-opcode after a prefix byte at `p`; returns the position after it. */
static u32 sub_opcode(u32 p, u32 end, u32 *sub) {
  if (p >= end) return truncated(p, end);
  u32 x = at(p);
  if (x & 0x80) return read_u32(p, end, sub);
  *sub = x;
  return p + 1;
}

static u32 skip_index(u32 p, u32 end) { return at(p) & 0x80 ? skip_u32(p, end) : p + 1; }

/* 0xFC immediates (facts §11.2). */
static u32 skip_misc(u32 sub, u32 p, u32 end, u32 start) {
  if (sub <= 7) return p;
  if (sub > 17) return failure(E_UNKNOWN_OPCODE, start, 0xfc, sub);
  p = skip_index(p, end);
  TRY(p);
  if (sub == 9 || sub == 11 || sub == 13 || sub >= 15) return p;
  return skip_index(p, end); /* 8, 10, 12, 14: two indices */
}

/* memory.init: dataidx memidx; memory.copy: memidx memidx; memory.fill: memidx. */
static int has_nonzero_memidx(u32 sub, u32 start) {
  u32 p = leb_end(start + 1);
  if (sub == 8) p = leb_end(p);
  if (at(p) != 0) return 1;
  return sub == 10 && at(leb_end(p)) != 0;
}

/* Features of a 0xFC instruction (facts §11.2); a nonzero memory index means multi-memory. */
static u32 misc_features(u32 sub, u32 start) {
  u32 kind = sub < 8 ? F_NONTRAPPING : sub < 15 ? F_BULK_MEMORY : F_REFERENCE_TYPES;
  return (sub == 8 || sub == 10 || sub == 11) && has_nonzero_memidx(sub, start) ? kind | F_MULTIMEMORY : kind;
}

/* 0xFE immediates (facts §11.3). */
static u32 skip_atomic(u32 p, u32 end, u32 start) {
  u32 sub;
  p = sub_opcode(p, end, &sub);
  TRY(p);
  if (sub == 3) {
    if (p >= end) return truncated(p, end);
    if (at(p) != 0) return failure(E_FENCE_RESERVED, p, at(p), 0);
    return p + 1;
  }
  if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) return skip_memarg(p, end);
  return failure(E_UNKNOWN_OPCODE, start, 0xfe, sub);
}

/* 0xFB immediates (facts §11.4). */
static u32 skip_gc(u32 p, u32 end, u32 start) {
  u32 sub;
  p = sub_opcode(p, end, &sub);
  TRY(p);
  switch (sub) {
    case 0: case 1: case 6: case 7: case 11: case 12: case 13: case 14: case 16:
      return skip_u32(p, end);
    case 2: case 3: case 4: case 5: case 8: case 9: case 10: case 17: case 18: case 19:
      p = skip_u32(p, end);
      TRY(p);
      return skip_u32(p, end);
    case 15: case 26: case 27: case 28: case 29: case 30:
      return p;
    case 20: case 21: case 22: case 23:
      return skip_heap_type(p, end);
    case 24: case 25:
      if (p >= end) return truncated(p, end);
      if (at(p) > 3) return failure(E_CAST_FLAGS, p, at(p), 0);
      p = skip_u32(p + 1, end);
      TRY(p);
      p = skip_heap_type(p, end);
      TRY(p);
      return skip_heap_type(p, end);
    default:
      return failure(E_UNKNOWN_OPCODE, start, 0xfb, sub);
  }
}

/* ---- the walk ---- */

/*
 * Walks one expression from `p` to its final `end` (which must be the last byte before
 * `end` when `exact`). Returns the position after the final `end`, or FAILED. Instruction,
 * SIMD and feature counts are added to `result` only when the expression completes; the
 * rarer classes count as they are met.
 */
static u32 walk_expression(u32 p, u32 end, int constant, int exact) {
  const u32 *feature_of = constant ? const_features : code_features;
  /* The input's base and last byte in locals: the loop then keeps them in registers. */
  const u8 *const b = &__heap_base;
  const u32 last = input_cap - 1;
  u32 total = 0, simd = 0, features = 0, depth = 0, start = p, x;
  while (p < end) {
    start = p;
    u32 op = b[p];
    total++;
    features |= feature_of[op];
    /* p < end <= input_cap - PAD here, so these five bytes are inside the input. */
    u32 after;
    __builtin_memcpy(&after, b + p + 1, 4); /* one unaligned load; wasm32 is little-endian */
    if (fast_length[op] != 0 && (after & fast_clear[op]) == 0) {
      p += fast_length[op];
      continue;
    }
    u32 base = leb_base[op];
    if (base != 0 && (after & leb_clear[op]) == 0) {
      /* The LEB's bytes within the four after the opcode; a byte without the continuation bit ends it. */
      u32 stops = ~(after >> ((base - 1) * 8)) & (base == 1 ? 0x80808080u : 0x00808080u);
      u32 next = p + base + (__builtin_ctz(stops) >> 3) + 1;
      if (stops != 0 && next <= end) {
        p = next;
        continue;
      }
    }
    p++;
    switch (kind_of[op]) {
      case K_IDX:
        if (AT(p++) & 0x80) {
          p = skip_u32(p - 1, end);
          TRY(p);
        }
        break;
      case K_NONE:
        break;
      case K_MEMARG:
        if (AT(p) >= 0x40) {
          p = skip_memarg_flags(p, end);
          TRY(p);
          features |= F_MULTIMEMORY;
        } else p++;
        if (AT(p++) & 0x80) {
          p = skip_u64(p - 1, end);
          TRY(p);
        }
        break;
      case K_I32:
        if (AT(p++) & 0x80) {
          p = skip_signed(p - 1, end, 32);
          TRY(p);
        }
        break;
      case K_END:
        if (depth == 0) {
          if (exact && p != end) return failure(E_TRAILING_BYTES, p, end - p, 0);
          result.total += total;
          result.simd += simd;
          result.features |= features;
          return p;
        }
        depth--;
        break;
      case K_BLOCK:
        depth++;
        mark_block(depth, op == 0x04);
        x = AT(p++);
        /* No byte past the file's end: the block type runs out like a truncated LEB. */
        if (p > file_end) x = 0x80;
        if (x != 0x40) {
          if (x < 0x40) features |= F_MULTIVALUE;
          else if (x < 0x80) {
            p = skip_valtype_tail(x, p, end, start + 1);
            TRY(p);
            features |= block_features(x);
          } else {
            p = skip_signed(p - 1, end, 33);
            TRY(p);
            features |= F_MULTIVALUE;
          }
        }
        break;
      case K_SIMD:
        simd++;
        features |= F_SIMD;
        x = AT(p++);
        if (x & 0x80) {
          /* Sub-opcodes 128–16383 take two bytes: the common case, decoded inline. */
          if (AT(p) & 0x80) {
            u32 sub; /* three or more bytes; a separate variable keeps `x` out of memory */
            p = read_u32(p - 1, end, &sub);
            TRY(p);
            x = sub;
          } else x = (x & 0x7f) | (AT(p++) << 7);
          if (x >= 0x100) {
            result.relaxed_simd++;
            features |= F_RELAXED_SIMD;
          }
        }
        switch (x < SIMD_OPCODES ? simd_kind[x] : S_UNKNOWN) {
          case S_NONE:
            break;
          case S_MEMARG:
            if (AT(p) < 0x40 && p + 1 < end && AT(p + 1) < 0x80) {
              p += 2; /* alignment and offset of one byte each, inline */
              break;
            }
            p = skip_memarg(p, end);
            TRY(p);
            break;
          case S_BYTES16:
            p += 16;
            break;
          case S_LANE:
            p += 1;
            break;
          case S_MEMARG_LANE:
            if (AT(p) < 0x40 && p + 1 < end && AT(p + 1) < 0x80) {
              p += 3;
              break;
            }
            p = skip_memarg(p, end);
            TRY(p);
            p += 1;
            break;
          default:
            return failure(E_UNKNOWN_OPCODE, start, 0xfd, x);
        }
        break;
      case K_IDX2:
        if (AT(p++) & 0x80) {
          p = skip_u32(p - 1, end);
          TRY(p);
        }
        if (AT(p++) & 0x80) {
          p = skip_u32(p - 1, end);
          TRY(p);
        }
        break;
      case K_MISC:
        result.bulk_memory++;
        x = AT(p);
        /* memory.init and data.drop use a data index (spec: binary format, data count section). */
        if (p < end && (x == 8 || x == 9) && !data_count_present) return failure(E_DATA_COUNT_REQUIRED, start, x, 0);
        if (p < end && x <= 17) {
          /* Inline when the sub-opcode and its indices take one byte each: the common case. */
          if (x <= 7) {
            p++;
            features |= F_NONTRAPPING;
            break;
          }
          u32 first = AT(p + 1), second = AT(p + 2);
          int two = x == 8 || x == 10 || x == 12 || x == 14;
          if (!(first & 0x80) && !(two && (second & 0x80))) {
            p += two ? 3 : 2;
            features |= x < 15 ? F_BULK_MEMORY : F_REFERENCE_TYPES;
            /* memory.init dataidx memidx, memory.copy memidx memidx, memory.fill memidx */
            if ((x == 8 && second != 0) || (x == 10 && (first | second) != 0) || (x == 11 && first != 0)) features |= F_MULTIMEMORY;
            break;
          }
        }
        {
          u32 sub;
          TRY(sub_opcode(p, end, &sub));
          if ((sub == 8 || sub == 9) && !data_count_present) return failure(E_DATA_COUNT_REQUIRED, start, sub, 0);
          p = skip_misc(sub, leb_end(p), end, start);
          TRY(p);
          features |= misc_features(sub, start);
        }
        break;
      case K_I64:
        if (AT(p++) & 0x80) {
          p = skip_signed(p - 1, end, 64);
          TRY(p);
        }
        break;
      case K_F64:
        p += 8;
        break;
      case K_F32:
        p += 4;
        break;
      case K_BR_TABLE:
        p = skip_br_table(p, end);
        TRY(p);
        break;
      case K_ATOMIC:
        result.atomics++;
        features |= F_ATOMICS;
        p = skip_atomic(p, end, start);
        TRY(p);
        break;
      case K_GC:
        result.gc++;
        features |= F_GC;
        p = skip_gc(p, end, start);
        TRY(p);
        break;
      case K_MEM_IDX:
        x = AT(p++);
        if (x != 0) {
          features |= F_MULTIMEMORY;
          if (x & 0x80) {
            p = skip_u32(p - 1, end);
            TRY(p);
          }
        }
        break;
      case K_SELECT_T:
        p = skip_valtype_vector(p, end);
        TRY(p);
        break;
      case K_TRY_TABLE:
        depth++;
        mark_block(depth, 0);
        p = skip_try_table(p, end, start);
        TRY(p);
        break;
      case K_HEAP_TYPE:
        p = skip_heap_type(p, end);
        TRY(p);
        break;
      case K_ELSE:
        if (depth == 0 || !take_else(depth)) return failure(E_ELSE_OUTSIDE_IF, start, 0, 0);
        break;
      case K_DELEGATE:
        if (AT(p++) & 0x80) {
          p = skip_u32(p - 1, end);
          TRY(p);
        }
        if (depth == 0) return failure(E_DELEGATE_OUTSIDE_TRY, start, 0, 0);
        depth--;
        break;
      default:
        return failure(E_UNKNOWN_OPCODE, start, 0, op);
    }
  }
  if (p > end) return failure(E_IMMEDIATES_PAST_END, end, start, 0);
  return failure(E_MISSING_END, end, depth, 0);
}

/*
 * A function body's local declarations (a vector of count + value type); returns where
 * the instructions start. The total number of locals must stay below 2^32.
 */
static u32 skip_locals(u32 p, u32 end) {
  u32 groups;
  p = read_u32(p, end, &groups);
  TRY(p);
  if (groups > end - p) return failure(E_LOCALS_COUNT, p, groups, end - p);
  u64 total = 0;
  for (u32 i = 0; i < groups; i++) {
    u32 group_at = p;
    u32 count;
    p = read_u32(p, end, &count);
    TRY(p);
    total += count;
    if (total >= (1ull << 32)) return failure(E_TOO_MANY_LOCALS, group_at, 0, 0);
    if (p >= end) return truncated(p, end);
    u32 x = at(p);
    if (x < 0x80 && valtype_features[x] > 0) result.features |= (u32)valtype_features[x];
    if (x == REF_NULL_PREFIX || x == REF_PREFIX) result.features |= F_FUNCTION_REFERENCES;
    p = skip_valtype(p, end);
    TRY(p);
  }
  return p;
}

static void begin(u32 length, u32 file_left, int data_count) {
  if (!tables_ready) init_tables();
  input = &__heap_base;
  input_cap = length + PAD;
  file_end = file_left;
  data_count_present = data_count;
  u32 *fields = (u32 *)&result;
  for (u32 i = 0; i < sizeof result / sizeof(u32); i++) fields[i] = 0;
}

/* ---- exports ---- */

/* Where the host copies the input; `length + PAD` bytes must fit in memory from there. */
__attribute__((export_name("input_base"))) u32 input_base(void) { return (u32)&__heap_base; }

__attribute__((export_name("pad_bytes"))) u32 pad_bytes(void) { return PAD; }

__attribute__((export_name("result_base"))) u32 result_base(void) { return (u32)&result; }

static u32 more_input(u32 p, u32 needed) {
  failure(MORE_INPUT, p, needed, 0);
  return MORE_INPUT;
}

__attribute__((export_name("records_base"))) u32 records_base(void) { return (u32)records; }

__attribute__((export_name("max_records"))) u32 max_records(void) { return MAX_RECORDS; }

/*
 * The exports take `file_left`: the bytes from the input's start to the end of the file.
 * `data_count` says whether the module has a data count section (only code may use data indices).
 *
 * Walks up to `count` function bodies of the code section from the input's first byte (a
 * body's size LEB), recording where each starts (`base` + its offset) and its size. The
 * section has `section_left` bytes from there; when that is more than `length`, the input
 * is a window and the walk stops with MORE_INPUT before a body that does not fit in it.
 * Returns 0 once `count` bodies are walked, MORE_INPUT, or an error code.
 */
__attribute__((export_name("walk_bodies"))) u32 walk_bodies(u32 length, u32 section_left, u32 count, u32 base, u32 file_left, u32 data_count) {
  begin(length, file_left, data_count != 0);
  int window = section_left > length;
  u32 limit = window ? length : section_left;
  u32 p = 0;
  for (u32 i = 0; i < count; i++) {
    result.position = p;
    if (i == MAX_RECORDS || (window && length - p < 5)) return more_input(p, 0);
    u32 size;
    u32 body = read_u32(p, limit, &size);
    if (body == FAILED) {
      /* The reader's words for the section's integers: running out is the section's end. */
      if (result.error == E_TRUNCATED_IMMEDIATE) result.error = E_SECTION_TRUNCATED;
      return result.error;
    }
    if (size > section_left - body) {
      failure(E_BODY_SIZE, p, i, size);
      result.c = section_left - body;
      return E_BODY_SIZE;
    }
    u32 body_end = body + size;
    if (body_end > length) return more_input(p, body_end - p);
    records[i] = base + p;
    records[MAX_RECORDS + i] = size;
    result.records = i + 1;
    u32 code = skip_locals(body, body_end);
    if (code == FAILED || walk_expression(code, body_end, 0, 1) == FAILED) return result.error;
    p = body_end;
  }
  result.position = p;
  return 0;
}

/*
 * Walks `count` consecutive constant expressions from the input's first byte; their region
 * has `region_left` bytes from there. When that is more than `length`, the input is a
 * window, and an expression that fails may only have run out of it: the walk then stops
 * before that expression with MORE_INPUT, its counts undone. Returns 0 with
 * `result.position` after the last expression, MORE_INPUT, or an error code.
 */
__attribute__((export_name("walk_constant_expressions"))) u32 walk_constant_expressions(u32 length, u32 region_left, u32 count, u32 file_left) {
  begin(length, file_left, 1);
  int window = region_left > length;
  u32 p = 0;
  for (u32 i = 0; i < count; i++) {
    result.position = p;
    result.records = i;
    u32 relaxed_simd = result.relaxed_simd, bulk_memory = result.bulk_memory, atomics = result.atomics, gc = result.gc;
    u32 next = walk_expression(p, length, 1, 0);
    if (next == FAILED) {
      if (!window) return result.error;
      result.relaxed_simd = relaxed_simd;
      result.bulk_memory = bulk_memory;
      result.atomics = atomics;
      result.gc = gc;
      return more_input(p, 0);
    }
    p = next;
  }
  result.position = p;
  result.records = count;
  return 0;
}

/*
 * Indexes up to `count` entries of a name section's function names subsection for
 * ../function-names.ts, from the input's first byte: records each entry's function index and, from
 * MAX_RECORDS on, where its name (its length LEB) starts (`base` + its offset). Only the usual
 * form: u32 LEB128s and ASCII names. The subsection has `left` bytes from there; when that is more
 * than `length`, the input is a window and the call stops with MORE_INPUT before an entry that does
 * not fit in it. Anything else (an entry larger than the window, a non-ASCII name, a bad LEB, bytes
 * left over after the last entry) stops it with NOT_PLAIN, and the host's exact reader goes over
 * the subsection instead, to fail where a full decode would. Returns 0 once `count` entries are done.
 */
__attribute__((export_name("index_names"))) u32 index_names(u32 length, u32 left, u32 count, u32 base) {
  begin(length, length, 1);
  const u8 *const b = &__heap_base;
  int window = left > length;
  u32 limit = window ? length : left;
  u32 p = 0;
  for (u32 i = 0; i < count; i++) {
    result.position = p;
    if (i == MAX_RECORDS) return more_input(p, 0);
    u32 index, size;
    u32 at = read_u32(p, limit, &index);
    u32 name = at == FAILED ? FAILED : read_u32(at, limit, &size);
    if (name == FAILED || size > limit - name) {
      result.error = window && i > 0 ? MORE_INPUT : NOT_PLAIN;
      return result.error;
    }
    u32 any = 0;
    for (u32 k = name; k < name + size; k++) any |= b[k];
    if (any & 0x80) return result.error = NOT_PLAIN;
    records[i] = index;
    records[MAX_RECORDS + i] = base + at;
    result.records = i + 1;
    p = name + size;
  }
  result.position = p;
  result.error = p == left ? 0 : NOT_PLAIN;
  return result.error;
}
