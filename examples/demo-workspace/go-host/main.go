// Command go-host serves image-filter requests: every request instantiates the filter module
// afresh, so no state leaks from one request into the next.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/tetratelabs/wazero"
)

func main() {
	modulePath := flag.String("module", "../image-filters/target/wasm32-wasip1/release/image_filters.wasm", "filter module")
	requests := flag.Int("requests", 1000, "requests to serve")
	flag.Parse()

	ctx := context.Background()
	bin, err := os.ReadFile(*modulePath)
	if err != nil {
		log.Fatalf("reading %s: %v", *modulePath, err)
	}

	// The cache is meant to make every instantiation after the first one cheap.
	config := wazero.NewRuntimeConfig().WithCompilationCache(wazero.NewCompilationCache())
	r := wazero.NewRuntimeWithConfig(ctx, config)
	defer r.Close(ctx)

	for request := 0; request < *requests; request++ {
		mod, err := r.Instantiate(ctx, bin)
		if err != nil {
			log.Fatalf("instantiating %s: %v", *modulePath, err)
		}
		if _, err := mod.ExportedFunction("load_noise").Call(ctx, uint64(request)); err != nil {
			log.Fatal(err)
		}
		sum, err := mod.ExportedFunction("box_blur").Call(ctx, 1)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("request %d: %d\n", request, sum[0])
		mod.Close(ctx)
	}
}
