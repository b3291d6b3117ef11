from ynsert.cli import main

main()
