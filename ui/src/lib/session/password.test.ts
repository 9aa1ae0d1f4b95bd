// The password rule as the core states it, and the temporary passwords the staff screen hands out.
import { describe, expect, it } from "vitest";
import { generatePassword, MIN_PASSWORD_LEN, PASSWORD_RULE, passwordProblem, READABLE } from "./password";

describe("passwordProblem", () => {
  it.each([
    ["", PASSWORD_RULE],
    ["123456789", PASSWORD_RULE],
    ["1234567890", null],
    // Counted in characters as the core counts them, not UTF-16 units: 9 emoji are 18 units.
    ["😀😀😀😀😀😀😀😀😀", PASSWORD_RULE],
    ["ünïcödé-ok", null],
  ])("%j → %j", (pw, expected) => {
    expect(passwordProblem(pw)).toBe(expected);
  });

  it("says the core's own sentence", () => {
    expect(PASSWORD_RULE).toBe("Use at least 10 characters for the password.");
    expect(MIN_PASSWORD_LEN).toBe(10);
  });
});

describe("generatePassword", () => {
  it("always keeps the rule, in three readable groups of four", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const pw = generatePassword();
      expect(passwordProblem(pw), `a generated password the core would refuse: ${pw}`).toBeNull();
      expect(pw).toMatch(new RegExp(`^[${READABLE}]{4}-[${READABLE}]{4}-[${READABLE}]{4}$`));
      seen.add(pw);
    }
    // Handed to different people, they must not repeat.
    expect(seen.size).toBe(500);
  });

  it("never uses characters that read alike (i, l, o, 0, 1)", () => {
    for (const c of "ilo01IO") expect(READABLE).not.toContain(c);
    expect(READABLE).toHaveLength(31);
  });

  it("throws away bytes that would favour the first symbols", () => {
    // 248 and above are past the last whole multiple of 31: skipped, not folded onto a, b, c….
    let calls = 0;
    const random = (n: number) => {
      calls++;
      return Uint8Array.from({ length: n }, (_, i) => (calls === 1 ? 248 + (i % 8) : i));
    };
    expect(generatePassword(random)).toBe("abcd-efgh-jkmn");
    expect(calls).toBe(2);
  });
});
