from formsvc.cli import main

main()
