from opsrepo.cli.main import main

main()
