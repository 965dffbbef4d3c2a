// The widget tests run under Mocha inside @web/test-runner, which provides describe/it as globals.
/// <reference types="mocha" />
