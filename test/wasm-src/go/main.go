// The Go twin of test/wasm-src/kernels, as a GOOS=js GOARCH=wasm program: Go's compiler
// does not vectorise and has no option that would, so its modules never contain SIMD (the
// wasm-no-simd rule stays silent on them). Built by scripts/build-wasm-fixtures.sh.
package main

const vector = 4096

var left, right [vector]float32

// lcg is Numerical Recipes' 32-bit LCG: deterministic input without any dependency.
func lcg(state *uint32) uint32 {
	*state = *state*1664525 + 1013904223
	return *state
}

func dot(rounds int) float32 {
	var total float32
	for r := 0; r < rounds; r++ {
		var acc float32
		for i := range left {
			acc += left[i] * right[(i+r)%vector]
		}
		total += acc
	}
	return total
}

func main() {
	state := uint32(0x2545f491)
	for i := range left {
		left[i] = float32(lcg(&state)>>8)/16777216 - 0.5
		right[i] = float32(lcg(&state)>>8)/16777216 - 0.5
	}
	if dot(16) == 0 {
		panic("dot is zero")
	}
}
