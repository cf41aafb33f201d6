module example.com/demo/go-host

go 1.23

require github.com/tetratelabs/wazero v1.12.0
