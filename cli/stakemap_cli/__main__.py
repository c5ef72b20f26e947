from stakemap_cli.app import main

main()
