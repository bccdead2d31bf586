#include "Expression.h"

// Design: a recursive-descent parser emits a postfix tape (constants folded on the way); evaluate() runs the
// tape once on a stack of dual numbers (value and both partials: forward-mode automatic differentiation);
// evaluateMany() runs the same tape on blocks of points so every instruction is a tight loop.
// valueOf() below is the single definition of every operation's value: the folder, evaluate() and
// evaluateMany() all call it (or the identical vectorizable expression), so their values agree bit for bit.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <numbers>
#include <vector>

namespace gdviz {

namespace {

enum class Op : std::uint8_t {
    PushX, PushY, PushConst,             // operands
    Add, Sub, Mul, Div, Pow, PowConst,   // binary; PowConst has a constant exponent in k and pops one slot
    Neg, Sin, Cos, Tan, Exp, Log, Sqrt, Abs, Tanh // one argument
};

struct Instruction {
    Op op;
    double k = 0; // PushConst: the constant; PowConst: the exponent
};

struct FunctionName {
    std::string_view name;
    Op op;
};
constexpr std::array<FunctionName, 8> kFunctions{{{"sin", Op::Sin}, {"cos", Op::Cos}, {"tan", Op::Tan}, {"exp", Op::Exp},
                                                  {"log", Op::Log}, {"sqrt", Op::Sqrt}, {"abs", Op::Abs}, {"tanh", Op::Tanh}}};

constexpr int kMaxNesting = 200;   // parentheses, signs and powers; bounds the parser's recursion
constexpr std::size_t kBlock = 256; // points per block in evaluateMany()

bool isBinary(Op op) { return op >= Op::Add && op <= Op::Pow; }
bool isUnary(Op op) { return op >= Op::PowConst; } // PowConst acts on one slot

// x^2 is computed as x*x, the correctly rounded square (std::pow may be 1 ulp off it) and what compilers emit for
// std::pow(x, 2.0) anyway; it also makes squared terms fast. Every other power is std::pow.
inline double powConst(double a, double k) { return k == 2.0 ? a * a : std::pow(a, k); }

// The value of op applied to a (and b for binary operations; k is PowConst's exponent).
inline double valueOf(Op op, double a, double b = 0, double k = 0)
{
    switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div: return a / b;
    case Op::Pow: return std::pow(a, b);
    case Op::PowConst: return powConst(a, k);
    case Op::Neg: return -a;
    case Op::Sin: return std::sin(a);
    case Op::Cos: return std::cos(a);
    case Op::Tan: return std::tan(a);
    case Op::Exp: return std::exp(a);
    case Op::Log: return std::log(a);
    case Op::Sqrt: return std::sqrt(a);
    case Op::Abs: return std::abs(a);
    case Op::Tanh: return std::tanh(a);
    case Op::PushX: case Op::PushY: case Op::PushConst: break;
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------- tokens
struct Token {
    enum class Kind { Number, Name, Symbol, End } kind;
    std::size_t position;
    std::string_view text;
    double value = 0;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || isDigit(c); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// The character at text[i] for a message: itself when printable, its whole UTF-8 sequence when valid,
// otherwise its byte value (so a message never contains a broken or invisible character).
std::string describeCharacter(std::string_view text, std::size_t i)
{
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f)
        return quoted(text.substr(i, 1));
    const std::size_t length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3
                             : byte >= 0xf0 && byte <= 0xf4                 ? 4
                                                                             : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t j = 1; valid && j < length; ++j)
        valid = (static_cast<unsigned char>(text[i + j]) & 0xc0) == 0x80;
    if (valid)
        return quoted(text.substr(i, length));
    constexpr char hex[] = "0123456789abcdef";
    return std::string("(byte 0x") + hex[byte >> 4] + hex[byte & 15] + ")";
}

class Compiler {
public:
    explicit Compiler(std::string_view text) : m_text(text) {}

    bool compile()
    {
        if (!tokenize())
            return false;
        if (m_tokens.front().kind == Token::Kind::End)
            return fail(0, "empty formula");
        if (!parseSum())
            return false;
        if (current().kind == Token::Kind::End)
            return true;
        if (isSymbol(")"))
            return fail(current().position, "')' without a matching '('");
        return missingOperator();
    }

    ExpressionError error;
    std::vector<Instruction> code;
    std::size_t maxDepth = 0; // the evaluation stack's largest size

private:
    bool fail(std::size_t position, std::string message)
    {
        error = {position, std::move(message)};
        return false;
    }

    // ----- lexer
    bool tokenize()
    {
        const std::size_t n = m_text.size();
        for (std::size_t i = 0;;) {
            while (i < n && isSpace(m_text[i]))
                ++i;
            if (i == n) {
                m_tokens.push_back({Token::Kind::End, n, {}});
                return true;
            }
            const char c = m_text[i];
            if (isDigit(c) || c == '.') {
                if (!lexNumber(i))
                    return false;
            } else if (isNameStart(c)) {
                std::size_t j = i;
                while (j < n && isNameChar(m_text[j]))
                    ++j;
                m_tokens.push_back({Token::Kind::Name, i, m_text.substr(i, j - i)});
                i = j;
            } else if (std::string_view("+-*/^()").find(c) != std::string_view::npos) {
                m_tokens.push_back({Token::Kind::Symbol, i, m_text.substr(i, 1)});
                ++i;
            } else {
                return fail(i, "unexpected character " + describeCharacter(m_text, i));
            }
        }
    }

    // C notation: digits [. digits] [(e|E) [+|-] digits], with at least one mantissa digit. Converted with
    // std::from_chars, which ignores the locale (a comma is never a decimal separator).
    bool lexNumber(std::size_t &i)
    {
        const std::size_t n = m_text.size();
        std::size_t j = i, digits = 0;
        for (; j < n && isDigit(m_text[j]); ++j)
            ++digits;
        if (j < n && m_text[j] == '.')
            for (++j; j < n && isDigit(m_text[j]); ++j)
                ++digits;
        if (digits == 0)
            return malformedNumber(i, "");
        if (j < n && (m_text[j] == 'e' || m_text[j] == 'E')) {
            std::size_t k = j + 1;
            const bool sign = k < n && (m_text[k] == '+' || m_text[k] == '-');
            k += sign;
            if (k < n && isDigit(m_text[k])) {
                while (k < n && isDigit(m_text[k]))
                    ++k;
                j = k;
            } else if (sign || k == n || !isNameChar(m_text[k])) {
                return malformedNumber(i, ": the exponent needs digits");
            } // else a name follows ("2exp"): the parser reports the missing operator
        }
        if (j < n && m_text[j] == '.')
            return malformedNumber(i, "");
        double value = 0;
        const auto [end, ec] = std::from_chars(m_text.data() + i, m_text.data() + j, value);
        if (ec == std::errc::result_out_of_range)
            return fail(i, "number " + quoted(m_text.substr(i, j - i)) + " is out of range");
        if (ec != std::errc() || end != m_text.data() + j)
            return malformedNumber(i, "");
        m_tokens.push_back({Token::Kind::Number, i, m_text.substr(i, j - i), value});
        i = j;
        return true;
    }

    bool malformedNumber(std::size_t start, const char *why)
    {
        std::size_t j = start;
        while (j < m_text.size() && (isNameChar(m_text[j]) || m_text[j] == '.'
                                     || ((m_text[j] == '+' || m_text[j] == '-') && (m_text[j - 1] | 0x20) == 'e')))
            ++j;
        return fail(start, "malformed number " + quoted(m_text.substr(start, j - start)) + why);
    }

    // ----- parser: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*;
    // unary := ('+'|'-') unary | power; power := primary ['^' unary] (right-associative; -x^2 = -(x^2), 2^-1 works)
    const Token &current() const { return m_tokens[m_next]; }
    bool isSymbol(std::string_view s) const { return current().kind == Token::Kind::Symbol && current().text == s; }

    bool parseSum()
    {
        if (!parseProduct())
            return false;
        while (isSymbol("+") || isSymbol("-")) {
            const Op op = current().text == "+" ? Op::Add : Op::Sub;
            ++m_next;
            if (!parseProduct())
                return false;
            emit(op);
        }
        return true;
    }

    bool parseProduct()
    {
        if (!parseUnary())
            return false;
        while (isSymbol("*") || isSymbol("/")) {
            const Op op = current().text == "*" ? Op::Mul : Op::Div;
            ++m_next;
            if (!parseUnary())
                return false;
            emit(op);
        }
        return true;
    }

    // Every recursion passes through here (parentheses, signs, exponents), so this is where depth is bounded.
    bool parseUnary()
    {
        if (m_nesting >= kMaxNesting)
            return fail(current().position, "formula is nested too deeply (more than 200 levels)");
        ++m_nesting;
        bool ok;
        if (isSymbol("+") || isSymbol("-")) {
            const bool negate = current().text == "-";
            ++m_next;
            ok = parseUnary();
            if (ok && negate)
                emit(Op::Neg);
        } else {
            ok = parsePrimary();
            if (ok && isSymbol("^")) {
                ++m_next;
                ok = parseUnary();
                if (ok)
                    emit(Op::Pow);
            }
        }
        --m_nesting;
        return ok;
    }

    bool parsePrimary()
    {
        const Token &token = current();
        switch (token.kind) {
        case Token::Kind::End:
            return fail(token.position, "unexpected end of formula");
        case Token::Kind::Number:
            ++m_next;
            emit(Op::PushConst, token.value);
            return true;
        case Token::Kind::Symbol:
            if (token.text == "(")
                return parseParenthesized();
            if (token.text == "*" && m_next > 0 && m_tokens[m_next - 1].text == "*")
                return fail(token.position - 1, "'**' is not an operator: write powers with ^, as in x^2");
            return fail(token.position, "expected a value but found " + quoted(token.text));
        case Token::Kind::Name:
            break;
        }
        ++m_next;
        if (token.text == "x" || token.text == "y") {
            emit(token.text == "x" ? Op::PushX : Op::PushY);
            return true;
        }
        if (token.text == "pi" || token.text == "e") {
            emit(Op::PushConst, token.text == "pi" ? std::numbers::pi : std::numbers::e);
            return true;
        }
        for (const FunctionName &function : kFunctions) {
            if (function.name != token.text)
                continue;
            if (!isSymbol("("))
                return fail(current().position, quoted(token.text) + " needs an argument in parentheses, as in "
                                                    + std::string(token.text) + "(x)");
            if (!parseParenthesized())
                return false;
            emit(function.op);
            return true;
        }
        return fail(token.position, "unknown name " + quoted(token.text)
                                        + " (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)");
    }

    bool parseParenthesized()
    {
        const std::size_t open = current().position;
        ++m_next;
        if (!parseSum())
            return false;
        if (isSymbol(")")) {
            ++m_next;
            return true;
        }
        if (current().kind == Token::Kind::End)
            return fail(current().position, "expected ')' to close '(' at " + std::to_string(open));
        return missingOperator();
    }

    // Two values in a row ("2x", "x y", "(x)(y)"): implicit multiplication is deliberately not supported.
    bool missingOperator()
    {
        return fail(current().position, "expected an operator between " + quoted(m_tokens[m_next - 1].text) + " and "
                                            + quoted(current().text) + " (write 2*x, not 2x)");
    }

    // Appends op, folding constants: an operation on constants becomes one PushConst computed by valueOf(), the
    // evaluator's own function, so folding never changes a result. This works on the tape's tail because a
    // subexpression's code ends in PushConst exactly when the subexpression is a constant (one PushConst).
    void emit(Op op, double k = 0)
    {
        const std::size_t n = code.size();
        const bool lastConstant = n >= 1 && code[n - 1].op == Op::PushConst;
        const bool bothConstant = lastConstant && n >= 2 && code[n - 2].op == Op::PushConst;
        if (isUnary(op) && lastConstant) {
            code[n - 1].k = valueOf(op, code[n - 1].k);
            return;
        }
        if (isBinary(op) && bothConstant) {
            // A constant exponent takes the PowConst rule, as it would at run time.
            const Op folded = op == Op::Pow ? Op::PowConst : op;
            code[n - 2].k = valueOf(folded, code[n - 2].k, code[n - 1].k, code[n - 1].k);
            code.pop_back();
            --m_depth;
            return;
        }
        if (op == Op::Pow && lastConstant) { // a^k: k moves into the instruction (see evaluate() for why)
            code[n - 1] = {Op::PowConst, code[n - 1].k};
            --m_depth;
            return;
        }
        code.push_back({op, k});
        if (op == Op::PushX || op == Op::PushY || op == Op::PushConst)
            maxDepth = std::max(maxDepth, ++m_depth);
        else if (isBinary(op))
            --m_depth;
    }

    std::string_view m_text;
    std::vector<Token> m_tokens;
    std::size_t m_next = 0;
    int m_nesting = 0;
    std::size_t m_depth = 0;
};

// ---------------------------------------------------------------------------------------------- evaluation
struct Dual {
    double v, dx, dy; // value and partial derivatives with respect to x and y
};

// Chain rule for one argument, (f(a))' = f'(a) * a', applied to each partial. A zero partial stays zero even where
// f'(a) is infinite or NaN (sqrt(x) at x = 0 has df/dy = 0, not inf*0 = NaN).
template <class Derivative>
inline void chain(Dual &a, Derivative derivative)
{
    if (a.dx != 0)
        a.dx = derivative(a.dx);
    if (a.dy != 0)
        a.dy = derivative(a.dy);
}

// Runs the tape on stack (at least maxDepth slots) and returns the top.
Dual run(const std::vector<Instruction> &code, double x, double y, Dual *stack)
{
    std::size_t depth = 0;
    for (const Instruction &in : code) {
        if (in.op == Op::PushX || in.op == Op::PushY || in.op == Op::PushConst) {
            stack[depth++] = in.op == Op::PushX ? Dual{x, 1, 0} : in.op == Op::PushY ? Dual{y, 0, 1} : Dual{in.k, 0, 0};
            continue;
        }
        const bool binary = isBinary(in.op);
        if (binary)
            --depth;
        Dual &a = stack[depth - 1];
        const Dual b = binary ? stack[depth] : Dual{0, 0, 0}; // the right operand
        const double a0 = a.v;
        a.v = valueOf(in.op, a0, b.v, in.k);
        // For Mul, Div and Pow: a partial that is zero in both operands stays zero (0/0 has dy = 0, not NaN).
        auto both = [&](auto rule) {
            a.dx = a.dx == 0 && b.dx == 0 ? 0.0 : rule(a.dx, b.dx);
            a.dy = a.dy == 0 && b.dy == 0 ? 0.0 : rule(a.dy, b.dy);
        };
        switch (in.op) {
        case Op::Add: a.dx += b.dx; a.dy += b.dy; break;
        case Op::Sub: a.dx -= b.dx; a.dy -= b.dy; break;
        case Op::Mul: both([&](double da, double db) { return da * b.v + a0 * db; }); break; // (ab)' = a'b + ab'
        case Op::Div: both([&](double da, double db) { return (da - a.v * db) / b.v; }); break; // (a/b)' = (a' - (a/b)b')/b
        case Op::Pow: // (a^b)' = a^b (b' log a + b a'/a), each term skipped when its partial is zero
            both([&](double da, double db) {
                return a.v * ((db != 0 ? db * std::log(a0) : 0.0) + (da != 0 ? b.v * da / a0 : 0.0));
            });
            break;
        case Op::PowConst: { // (a^k)' = k a^(k-1) a': no log, so x^2 at 0 and (-2)^2 are fine; (a^0)' = 0
            const double k = in.k;
            const double factor = k == 0 ? 0.0 : k == 2 ? 2 * a0 : k * std::pow(a0, k - 1);
            chain(a, [&](double d) { return factor * d; });
            break;
        }
        case Op::Neg: a.dx = -a.dx; a.dy = -a.dy; break;
        case Op::Sin: chain(a, [&](double d) { return std::cos(a0) * d; }); break;
        case Op::Cos: chain(a, [&](double d) { return -std::sin(a0) * d; }); break;
        case Op::Tan: { // tan' = 1/cos^2
            const double c = std::cos(a0);
            chain(a, [&](double d) { return d / (c * c); });
            break;
        }
        case Op::Exp: chain(a, [&](double d) { return a.v * d; }); break;
        case Op::Log: chain(a, [&](double d) { return d / a0; }); break;
        case Op::Sqrt: chain(a, [&](double d) { return d / (2 * a.v); }); break;
        case Op::Abs: { // |a|' = sign(a) a', 0 at a = 0
            const double sign = (a0 > 0) - (a0 < 0);
            chain(a, [&](double d) { return sign * d; });
            break;
        }
        case Op::Tanh: chain(a, [&](double d) { return (1 - a.v * a.v) * d; }); break;
        case Op::PushX: case Op::PushY: case Op::PushConst: break;
        }
    }
    return stack[0];
}

// Block versions: each stack slot holds kBlock values. The loop counts are compile-time constants and the
// operands never alias, so the compiler vectorizes + - * / and squares; functions call the same std:: functions
// as evaluate() one value at a time, which keeps the results bit-identical.
template <class F>
inline void mapBlock(double *__restrict a, F f)
{
    for (std::size_t i = 0; i < kBlock; ++i)
        a[i] = f(a[i]);
}
template <class F>
inline void combineBlock(double *__restrict a, const double *__restrict b, F f)
{
    for (std::size_t i = 0; i < kBlock; ++i)
        a[i] = f(a[i], b[i]);
}

void runBlock(const std::vector<Instruction> &code, const double *xs, const double *ys, std::size_t count,
              double *stack)
{
    std::size_t depth = 0;
    for (const Instruction &in : code) {
        if (in.op == Op::PushX || in.op == Op::PushY) {
            double *slot = stack + depth++ * kBlock;
            std::copy_n(in.op == Op::PushX ? xs : ys, count, slot);
            std::fill(slot + count, slot + kBlock, 0.0); // padding: computed but never returned
            continue;
        }
        if (in.op == Op::PushConst) {
            std::fill_n(stack + depth++ * kBlock, kBlock, in.k);
            continue;
        }
        double *a = stack + (depth - 1) * kBlock; // the top slot (depth >= 1 for every operation)
        switch (in.op) {
        case Op::Add: --depth; combineBlock(a - kBlock, a, [](double u, double v) { return u + v; }); break;
        case Op::Sub: --depth; combineBlock(a - kBlock, a, [](double u, double v) { return u - v; }); break;
        case Op::Mul: --depth; combineBlock(a - kBlock, a, [](double u, double v) { return u * v; }); break;
        case Op::Div: --depth; combineBlock(a - kBlock, a, [](double u, double v) { return u / v; }); break;
        case Op::Pow: --depth; combineBlock(a - kBlock, a, [](double u, double v) { return std::pow(u, v); }); break;
        case Op::PowConst:
            if (in.k == 2.0)
                mapBlock(a, [](double u) { return u * u; }); // powConst(u, 2), vectorizable
            else
                mapBlock(a, [k = in.k](double u) { return std::pow(u, k); });
            break;
        case Op::Neg: mapBlock(a, [](double u) { return -u; }); break;
        case Op::Sin: mapBlock(a, [](double u) { return std::sin(u); }); break;
        case Op::Cos: mapBlock(a, [](double u) { return std::cos(u); }); break;
        case Op::Tan: mapBlock(a, [](double u) { return std::tan(u); }); break;
        case Op::Exp: mapBlock(a, [](double u) { return std::exp(u); }); break;
        case Op::Log: mapBlock(a, [](double u) { return std::log(u); }); break;
        case Op::Sqrt: mapBlock(a, [](double u) { return std::sqrt(u); }); break;
        case Op::Abs: mapBlock(a, [](double u) { return std::abs(u); }); break;
        case Op::Tanh: mapBlock(a, [](double u) { return std::tanh(u); }); break;
        case Op::PushX: case Op::PushY: case Op::PushConst: break;
        }
    }
}

} // namespace

struct Expression::Program {
    std::string text;
    std::vector<Instruction> code; // postfix
    std::size_t maxDepth = 0;      // stack slots the code needs
};

std::optional<Expression> Expression::parse(std::string_view text, ExpressionError *error)
{
    try {
        Compiler compiler(text);
        if (!compiler.compile()) {
            if (error)
                *error = std::move(compiler.error);
            return std::nullopt;
        }
        auto program = std::make_unique<Program>(Program{std::string(text), std::move(compiler.code), compiler.maxDepth});
        return Expression(std::move(program));
    } catch (const std::bad_alloc &) { // a formula of gigabytes; never let it escape
        if (error)
            *error = {0, "formula is too long"};
        return std::nullopt;
    }
}

Expression::Expression(std::unique_ptr<Program> program) : m_program(std::move(program)) {}
Expression::Expression(const Expression &other)
    : m_program(other.m_program ? std::make_unique<Program>(*other.m_program) : nullptr)
{
}
Expression &Expression::operator=(const Expression &other)
{
    if (this != &other)
        m_program = other.m_program ? std::make_unique<Program>(*other.m_program) : nullptr;
    return *this;
}
Expression::Expression(Expression &&) noexcept = default;
Expression &Expression::operator=(Expression &&) noexcept = default;
Expression::~Expression() = default;

const std::string &Expression::text() const
{
    static const std::string empty; // a moved-from Expression
    return m_program ? m_program->text : empty;
}

double Expression::evaluate(double x, double y, double *dfdx, double *dfdy) const
{
    if (!m_program)
        return std::numeric_limits<double>::quiet_NaN();
    // No allocation per call for ordinary formulas (and nothing shared between threads): a stack buffer, with
    // a heap fallback only for tapes needing more than 64 slots (formulas nested over 30 levels deep).
    std::array<Dual, 64> local;
    std::vector<Dual> large;
    Dual *stack = local.data();
    if (m_program->maxDepth > local.size()) {
        large.resize(m_program->maxDepth);
        stack = large.data();
    }
    const Dual result = run(m_program->code, x, y, stack);
    if (dfdx)
        *dfdx = result.dx;
    if (dfdy)
        *dfdy = result.dy;
    return result.v;
}

void Expression::evaluateMany(std::span<const double> xs, std::span<const double> ys, std::span<double> out) const
{
    const std::size_t n = std::min({xs.size(), ys.size(), out.size()});
    if (!m_program || n == 0)
        return;
    std::vector<double> stack(m_program->maxDepth * kBlock); // one allocation per call, none per point
    for (std::size_t start = 0; start < n; start += kBlock) {
        const std::size_t count = std::min(kBlock, n - start);
        runBlock(m_program->code, xs.data() + start, ys.data() + start, count, stack.data());
        std::copy_n(stack.data(), count, out.data() + start);
    }
}

} // namespace gdviz
